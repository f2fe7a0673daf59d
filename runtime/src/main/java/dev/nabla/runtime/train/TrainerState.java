package dev.nabla.runtime.train;

/**
 * Where a fit stands, as a checkpoint records it next to the model's own state.
 *
 * @param epoch       epochs completed (the next one to run is {@code epoch + 1})
 * @param batchIndex  mini-batches completed of the next epoch (0 at an epoch boundary)
 * @param shuffleSeed the fit's shuffle seed ({@link Fit#seed()}), from which each epoch's order is drawn
 */
public record TrainerState(int epoch, int batchIndex, long shuffleSeed) {
  public TrainerState {
    if (epoch < 0) throw new IllegalArgumentException("epoch must be >= 0, was " + epoch);
    if (batchIndex < 0) throw new IllegalArgumentException("batchIndex must be >= 0, was " + batchIndex);
  }
}
