package dev.nabla.processor.validation;

/** The validated {@code @Optimizer} of a model (plain SGD, lr 0.01, when absent). */
public record OptimizerDecl(String type, double learningRate, double momentum, boolean nesterov) {
  public static final OptimizerDecl DEFAULT = new OptimizerDecl("SGD", 0.01, 0.0, false);
}
