package dev.nabla.runtime;

/**
 * Thrown by a training step with the divergence check on ({@link Network#setDivergenceCheck}) when
 * a layer's output or gradient, or the loss, holds NaN or Inf. Names the step (the number of steps
 * taken before it, counting from 0) and the first buffer found, in the order the step computes them.
 */
public final class DivergenceException extends ArithmeticException {
  private final long step;
  private final String layer;
  private final String what;

  public DivergenceException(long step, String layer, String what) {
    super("training diverged at step " + step + ": " + describe(layer, what) + " holds NaN or Inf");
    this.step = step;
    this.layer = layer;
    this.what = what;
  }

  private static String describe(String layer, String what) {
    return layer.isEmpty() ? what : "the " + what + " of layer '" + layer + "'";
  }

  /** The step that diverged: the number of optimiser steps taken before it. */
  public long step() {
    return step;
  }

  /** The layer (node) name; empty when only the loss is non-finite. */
  public String layer() {
    return layer;
  }

  /** "output", "gradient", "parameter gradient" or "loss". */
  public String what() {
    return what;
  }
}
