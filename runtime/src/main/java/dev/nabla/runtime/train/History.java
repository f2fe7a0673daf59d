package dev.nabla.runtime.train;

/** Per-epoch metrics of a training run. (Placeholder: implemented in the training-loop work.) */
public final class History {
  private History() {}
}
