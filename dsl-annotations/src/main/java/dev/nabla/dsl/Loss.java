package dev.nabla.dsl;

/** Training losses, averaged over the batch. */
public enum Loss {
  /** Mean squared error over every output of every example, as {@code torch.nn.MSELoss()}. */
  MSE,
  /**
   * Softmax over the output layer followed by cross-entropy against integer class labels, fused
   * in one pass. The output layer holds logits (no activation); predictions are probabilities.
   */
  SOFTMAX_CROSS_ENTROPY,
  /**
   * Sigmoid followed by binary cross-entropy against real-valued targets in [0, 1], fused and
   * numerically stable, as {@code torch.nn.BCEWithLogitsLoss()}: the mean over every output of every
   * example of max(x, 0) − x·t + log(1 + e^−|x|). The output layer holds logits (no activation), one
   * independent probability per output (multi-label); predictions are the sigmoid probabilities.
   */
  BINARY_CROSS_ENTROPY
}
