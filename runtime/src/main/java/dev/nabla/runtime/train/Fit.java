package dev.nabla.runtime.train;

/** Options of a training run: {@code Fit.epochs(5).batch(32)}. (Placeholder: implemented in the training-loop work.) */
public final class Fit {
  private Fit() {}

  public static Fit epochs(int epochs) {
    throw new UnsupportedOperationException("placeholder");
  }

  public Fit batch(int batch) {
    throw new UnsupportedOperationException("placeholder");
  }
}
