package dev.nabla.processor.ops;

import java.util.Arrays;

/**
 * A parameter tensor an op declares: {@code suffix} completes its PyTorch name ({@code weight},
 * {@code bias}); init is a {@code dev.nabla.runtime.Initializer} constant name.
 */
public record ParamTensor(String suffix, int[] dims, String init, int fanIn, int fanOut) {
  public ParamTensor {
    dims = dims.clone();
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  public int size() {
    int n = 1;
    for (int d : dims) n *= d;
    return n;
  }

  /** "(16, 784)". */
  public String shapeText() {
    String s = Arrays.toString(dims);
    return "(" + s.substring(1, s.length() - 1) + ")";
  }
}
