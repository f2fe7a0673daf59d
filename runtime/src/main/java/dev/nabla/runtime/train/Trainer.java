package dev.nabla.runtime.train;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.Dataset;

/** The fit loop. (Placeholder: implemented in the training-loop work.) */
public final class Trainer {
  private Trainer() {}

  public static History fit(Network net, Dataset train, Fit fit) {
    throw new UnsupportedOperationException("placeholder");
  }
}
