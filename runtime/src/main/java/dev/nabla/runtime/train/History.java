package dev.nabla.runtime.train;

import java.util.List;

/** The per-epoch metrics of a training run, in order. */
public record History(List<EpochMetrics> epochs) {

  public History {
    epochs = List.copyOf(epochs);
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

  public int size() {
    return epochs.size();
  }
}
