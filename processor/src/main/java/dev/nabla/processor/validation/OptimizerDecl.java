package dev.nabla.processor.validation;

import java.util.ArrayList;
import java.util.List;

/**
 * The validated {@code @Optimizer} of a model (plain SGD, lr 0.01, when absent). Attributes that do not
 * apply to the type keep their defaults.
 */
public record OptimizerDecl(String type, double learningRate, double momentum, boolean nesterov,
                            double beta1, double beta2, double epsilon, double alpha, boolean centered,
                            double rho, double initialAccumulator, double weightDecay, double momentumDecay,
                            double clipNorm, ScheduleDecl schedule) {
  public static final OptimizerDecl DEFAULT = new OptimizerDecl("SGD", 0.01, 0.0, false, 0.9, 0.999, 1e-8,
      0.99, false, 0.9, 0.0, 0.0, 0.004, 0.0, ScheduleDecl.NONE);

  /** One state buffer of the optimiser, a field of the generated model as long as the parameters. */
  public record State(String field, String doc) {}

  /** The state buffers the update reads and writes, in the order the kernel takes them. */
  public List<State> state() {
    List<State> s = new ArrayList<>();
    switch (type) {
      case "SGD" -> {
        if (momentum > 0) s.add(new State("velocity", "SGD momentum buffer."));
      }
      case "ADAM", "ADAMW", "NADAM" -> {
        s.add(new State("firstMoment", type + "'s first moment m."));
        s.add(new State("secondMoment", type + "'s second moment v."));
      }
      case "ADAMAX" -> {
        s.add(new State("firstMoment", "Adamax's first moment m."));
        s.add(new State("infinityNorm", "Adamax's exponentially weighted infinity norm u."));
      }
      case "ADAGRAD" -> s.add(new State("accumulator", "AdaGrad's sum of squared gradients s."));
      case "RMSPROP" -> {
        s.add(new State("squareAverage", "RMSProp's running average of squared gradients s."));
        if (centered) s.add(new State("gradAverage", "RMSProp's running average of gradients ḡ (centred)."));
        if (momentum > 0) s.add(new State("momentumBuffer", "RMSProp's momentum buffer b."));
      }
      case "ADADELTA" -> {
        s.add(new State("squareAverage", "AdaDelta's running average of squared gradients s."));
        s.add(new State("deltaAccumulator", "AdaDelta's running average of squared updates u."));
      }
      default -> throw new IllegalStateException(type);
    }
    return s;
  }

  /** The name users read in the javadoc: "Adam", "RMSProp", ... */
  public String displayName() {
    return switch (type) {
      case "ADAGRAD" -> "AdaGrad";
      case "RMSPROP" -> "RMSProp";
      case "ADADELTA" -> "AdaDelta";
      case "ADAMW" -> "AdamW";
      case "ADAMAX" -> "Adamax";
      case "NADAM" -> "NAdam";
      case "ADAM" -> "Adam";
      default -> type;
    };
  }
}
