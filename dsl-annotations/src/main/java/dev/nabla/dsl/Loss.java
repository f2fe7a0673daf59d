package dev.nabla.dsl;

/** Training losses, averaged over the batch. */
public enum Loss {
  /** Mean squared error over every output of every example, as {@code torch.nn.MSELoss()}. */
  MSE,
  /**
   * Softmax over the output layer followed by cross-entropy against integer class labels, fused
   * in one pass. The output layer holds logits (no activation); predictions are probabilities.
   */
  SOFTMAX_CROSS_ENTROPY
}
