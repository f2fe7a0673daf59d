package dev.nabla.runtime;

import java.util.Arrays;

/**
 * One named parameter tensor inside a model's flat parameter array, named as PyTorch names it
 * ({@code hidden1.weight} of shape (out, in), {@code hidden1.bias} of shape (out)).
 */
public record ParameterSpec(String name, int[] shape, int offset) {
  public ParameterSpec {
    shape = shape.clone();
  }

  @Override
  public int[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public int size() {
    int n = 1;
    for (int d : shape) n *= d;
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParameterSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape)
        && p.offset == offset;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape) + offset;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape) + "@" + offset;
  }
}
