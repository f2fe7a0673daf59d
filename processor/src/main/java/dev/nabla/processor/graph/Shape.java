package dev.nabla.processor.graph;

import java.util.Arrays;

/**
 * A static shape of one example, without the batch dimension. The last dimension is the feature
 * axis that dense layers, concatenation and softmax work on; the others only multiply the rows.
 */
public final class Shape {
  private final int[] dims;
  private final int vocab;

  private Shape(int[] dims, int vocab) {
    this.dims = dims;
    this.vocab = vocab;
  }

  public static Shape of(int... dims) {
    if (dims.length == 0) throw new IllegalArgumentException("a shape has at least one dimension");
    return new Shape(dims.clone(), 0);
  }

  /** A sequence of {@code length} token ids in [0, vocab), stored one per element. */
  public static Shape tokens(int length, int vocab) {
    if (vocab <= 0) throw new IllegalArgumentException("a token shape needs a vocabulary");
    return new Shape(new int[] {length}, vocab);
  }

  /** Whether the elements are token ids rather than features. */
  public boolean isTokens() {
    return vocab > 0;
  }

  /** The number of token ids of a token shape; 0 for features. */
  public int vocab() {
    return vocab;
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
    return new Shape(d, 0);
  }

  /** Same dimensions except possibly the feature axis. */
  public boolean sameRows(Shape other) {
    if (other.dims.length != dims.length) return false;
    for (int i = 0; i < dims.length - 1; i++) if (dims[i] != other.dims[i]) return false;
    return true;
  }

  /** "(784)" or "(28, 28)"; a token shape "(64 tokens, vocab 65)". */
  @Override
  public String toString() {
    return vocab > 0 ? "(" + dims[0] + " tokens, vocab " + vocab + ")" : dimsText();
  }

  private String dimsText() {
    StringBuilder s = new StringBuilder("(");
    for (int i = 0; i < dims.length; i++) s.append(i == 0 ? "" : ", ").append(dims[i]);
    return s.append(')').toString();
  }

  /** With the batch dimension first: "(B, 784)". */
  public String withBatch() {
    return "(B, " + dimsText().substring(1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(s.dims, dims) && s.vocab == vocab;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims) * 31 + vocab;
  }
}
