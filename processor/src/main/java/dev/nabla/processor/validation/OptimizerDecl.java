package dev.nabla.processor.validation;

/** The validated {@code @Optimizer} of a model (plain SGD, lr 0.01, when absent). */
public record OptimizerDecl(String type, double learningRate, double momentum, boolean nesterov,
                            double beta1, double beta2, double epsilon) {
  public static final OptimizerDecl DEFAULT = new OptimizerDecl("SGD", 0.01, 0.0, false, 0.9, 0.999, 1e-8);

  public boolean adam() {
    return type.equals("ADAM");
  }
}
