package dev.nabla.runtime.kernel;

/**
 * Activation codes shared by the kernels and the generated code (the generated code passes these
 * constants; they mirror {@code dev.nabla.dsl.Activation}).
 *
 * <p>Backward kernels take a {@code saved} buffer: for most activations it is the activation's
 * output y (the derivative is a function of y), for {@link #GELU} and {@link #SWISH} it is the
 * pre-activation x. {@link #derivativeFromOutput(int)} tells which.
 */
public final class Act {
  public static final int NONE = 0;
  public static final int SIGMOID = 1;
  public static final int TANH = 2;
  public static final int RELU = 3;
  /** param: negative slope (&gt; 0). */
  public static final int LEAKY_RELU = 4;
  /** param: α (&gt; 0). */
  public static final int ELU = 5;
  public static final int SELU = 6;
  /** Exact form x·Φ(x), Φ the standard normal CDF. */
  public static final int GELU = 7;
  /** x·sigmoid(x). */
  public static final int SWISH = 8;
  /** Row-wise softmax(x / param); param is the temperature. */
  public static final int SOFTMAX = 9;

  public static final double SELU_ALPHA = 1.6732632423543772;
  public static final double SELU_SCALE = 1.0507009873554805;

  private Act() {}

  /** Whether the backward of {@code act} reads the activation's output (true) or its input. */
  public static boolean derivativeFromOutput(int act) {
    return act != GELU && act != SWISH;
  }

  public static String name(int act) {
    return switch (act) {
      case NONE -> "none";
      case SIGMOID -> "sigmoid";
      case TANH -> "tanh";
      case RELU -> "relu";
      case LEAKY_RELU -> "leaky_relu";
      case ELU -> "elu";
      case SELU -> "selu";
      case GELU -> "gelu";
      case SWISH -> "swish";
      case SOFTMAX -> "softmax";
      default -> throw new IllegalArgumentException("unknown activation code " + act);
    };
  }
}
