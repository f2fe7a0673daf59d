package dev.nabla.runtime.io;

import java.io.IOException;

/**
 * A well-formed weights file that does not fit the model: a tensor with the wrong shape, a missing
 * tensor or an unexpected one. The message names every such tensor, with the expected and the
 * actual shape of each mismatch.
 */
public class WeightsMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  public WeightsMismatchException(String message) {
    super(message);
  }
}
