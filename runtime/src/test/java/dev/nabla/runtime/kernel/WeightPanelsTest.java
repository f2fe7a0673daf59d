package dev.nabla.runtime.kernel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forward matmuls that keep W's packed panels between calls of one weights version: the same
 * results as packing every time, for every shape path and tail, and a new version repacks.
 */
class WeightPanelsTest {

  static java.util.stream.Stream<VectorFloatKernels> kernels() {
    return VectorFloatKernelsTest.kernels();
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void keptPanelsGiveTheSameProductAndANewVersionRepacks(VectorFloatKernels v) {
    int[][] shapes = {{64, 384, 128}, {7, 65, 128}, {64, 128, 512}, {3, 33, 5}, {300, 40, 300}, {2, 17, 16}};
    for (int[] s : shapes) {
      int m = s[0], n = s[1], k = s[2];
      float[] x = TestData.floats(m * k, 1, -1, 1);
      float[] w = TestData.floats(3 + n * k, 2, -1, 1);
      float[] b = TestData.floats(n, 3, -1, 1);
      float[] expected = new float[m * n];
      float[] kept = new float[m * n];
      for (int round = 0; round < 3; round++) {
        v.denseForward(expected, 0, null, 0, x, 0, w, 3, b, 0, m, n, k, Act.GELU, 0f);
        v.denseForward(kept, 0, null, 0, x, 0, w, 3, b, 0, m, n, k, Act.GELU, 0f, 7 + round);
        // ulp-level differences only: the JIT may compile the epilogue's exp between the two calls
        TestData.assertClose(expected, kept, 1e-6, "(" + m + ", " + n + ", " + k + ") round " + round);
        v.denseForward(kept, 0, null, 0, x, 0, w, 3, b, 0, m, n, k, Act.GELU, 0f, 7 + round);
        TestData.assertClose(expected, kept, 1e-6, "(" + m + ", " + n + ", " + k + ") kept, round " + round);
        for (int i = 3; i < w.length; i += 5) w[i] = -w[i] * 0.5f; // the next version's weights
      }
    }
  }
}
