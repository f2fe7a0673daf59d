package dev.nabla.runtime.train;

import java.util.List;

/**
 * The per-epoch metrics of a training run, in order, with the epoch whose parameters the network
 * holds at the end ({@code bestEpoch}: the best dev epoch under early stopping, otherwise the last
 * one) and whether early stopping ended the run before its last epoch.
 */
public record History(List<EpochMetrics> epochs, int bestEpoch, boolean stoppedEarly) {

  public History {
    epochs = List.copyOf(epochs);
    if (bestEpoch < 0 || bestEpoch > epochs.size()) {
      throw new IllegalArgumentException("bestEpoch " + bestEpoch + " is outside [0, " + epochs.size() + "]");
    }
  }

  /** A run without early stopping: the best epoch is the last one. */
  public History(List<EpochMetrics> epochs) {
    this(epochs, epochs.size(), false);
  }

  /** The metrics of the final epoch. */
  public EpochMetrics last() {
    if (epochs.isEmpty()) throw new IllegalStateException("no epochs were run");
    return epochs.get(epochs.size() - 1);
  }

  /** The metrics of epoch {@code epoch} (counting from 1). */
  public EpochMetrics epoch(int epoch) {
    return epochs.get(epoch - 1);
  }

  /** The metrics of {@link #bestEpoch()}. */
  public EpochMetrics best() {
    if (bestEpoch == 0) throw new IllegalStateException("no epochs were run");
    return epochs.get(bestEpoch - 1);
  }

  public int size() {
    return epochs.size();
  }
}
