package dev.nabla.processor.ops;

/**
 * What the processor knows of each activation: the runtime constant the generated code passes,
 * whether its derivative is a function of its output (so the output buffer doubles as the saved
 * value) or needs the pre-activation, and its parameter's default.
 */
public enum ActivationFn {
  NONE(true, 0),
  SIGMOID(true, 0),
  TANH(true, 0),
  RELU(true, 0),
  LEAKY_RELU(true, 0.01),
  ELU(true, 1.0),
  SELU(true, 0),
  GELU(false, 0),
  SWISH(false, 0),
  SOFTMAX(true, 1.0);

  private final boolean derivativeFromOutput;
  private final double defaultParam;

  ActivationFn(boolean derivativeFromOutput, double defaultParam) {
    this.derivativeFromOutput = derivativeFromOutput;
    this.defaultParam = defaultParam;
  }

  /** The name of the {@code dev.nabla.runtime.kernel.Act} constant. */
  public String constant() {
    return name();
  }

  public boolean derivativeFromOutput() {
    return derivativeFromOutput;
  }

  /** The kernel parameter: alpha for leaky ReLU and ELU, the temperature for softmax, else 0. */
  public double param(double alpha, double temperature) {
    return switch (this) {
      case LEAKY_RELU, ELU -> Double.isNaN(alpha) ? defaultParam : alpha;
      case SOFTMAX -> temperature;
      default -> 0;
    };
  }

  /** Whether He initialisation suits a layer followed by this activation. */
  public boolean reluFamily() {
    return switch (this) {
      case RELU, LEAKY_RELU, ELU, SELU, GELU, SWISH -> true;
      default -> false;
    };
  }

  /** "sigmoid(v)", "v" for NONE; {@code v} is the expression activated. */
  public String apply(String v, double param) {
    return switch (this) {
      case NONE -> v;
      case LEAKY_RELU, ELU -> name().toLowerCase() + "(" + v + ", " + param + ")";
      case SOFTMAX -> param == 1 ? "softmax(" + v + ")" : "softmax(" + v + " / " + param + ")";
      default -> name().toLowerCase() + "(" + v + ")";
    };
  }
}
