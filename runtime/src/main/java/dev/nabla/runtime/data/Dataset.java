package dev.nabla.runtime.data;

/**
 * A table of examples held in memory: n rows of featureSize() floats, with either an int class
 * label per row or outputSize() float targets per row. (Contract only: implemented in the data
 * work; replace this placeholder.)
 */
public final class Dataset {
  private Dataset() {
    throw new UnsupportedOperationException("placeholder");
  }

  public int size() {
    throw new UnsupportedOperationException("placeholder");
  }
}
