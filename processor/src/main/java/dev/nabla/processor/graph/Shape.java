package dev.nabla.processor.graph;

import java.util.Arrays;

/**
 * A static shape of one example, without the batch dimension. The last dimension is the feature
 * axis that dense layers, concatenation and softmax work on; the others only multiply the rows.
 */
public final class Shape {
  private final int[] dims;

  private Shape(int[] dims) {
    this.dims = dims;
  }

  public static Shape of(int... dims) {
    if (dims.length == 0) throw new IllegalArgumentException("a shape has at least one dimension");
    return new Shape(dims.clone());
  }

  public int rank() {
    return dims.length;
  }

  public int dim(int i) {
    return dims[i];
  }

  /** The feature axis. */
  public int features() {
    return dims[dims.length - 1];
  }

  /** Rows per example: the product of every dimension but the last. */
  public int rowsPerExample() {
    int r = 1;
    for (int i = 0; i < dims.length - 1; i++) r *= dims[i];
    return r;
  }

  /** Elements per example. */
  public int size() {
    return rowsPerExample() * features();
  }

  public Shape withFeatures(int features) {
    int[] d = dims.clone();
    d[d.length - 1] = features;
    return new Shape(d);
  }

  /** Same dimensions except possibly the feature axis. */
  public boolean sameRows(Shape other) {
    if (other.dims.length != dims.length) return false;
    for (int i = 0; i < dims.length - 1; i++) if (dims[i] != other.dims[i]) return false;
    return true;
  }

  /** "(784)" or "(28, 28)". */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) s.append(i == 0 ? "" : ", ").append(dims[i]);
    return s.append(')').toString();
  }

  /** With the batch dimension first: "(B, 784)". */
  public String withBatch() {
    return "(B, " + toString().substring(1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(s.dims, dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }
}
