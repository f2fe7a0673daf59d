package dev.nabla.runtime.train;

/**
 * One epoch of a training run. {@code epoch} counts from 1; {@code loss} and {@code accuracy} are
 * means over the epoch's training batches (accuracy from the training forward passes, so taken
 * while the weights were changing); the validation values are measured after the epoch. Values
 * that do not apply (accuracy of a regression, validation without a validation set) are NaN.
 */
public record EpochMetrics(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds) {

  public boolean hasValidation() {
    return !Double.isNaN(valLoss);
  }
}
