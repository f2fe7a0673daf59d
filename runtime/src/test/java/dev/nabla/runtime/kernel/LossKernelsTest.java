package dev.nabla.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.Finite;
import org.junit.jupiter.api.Test;

/** The new loss kernels against their definitions, in double. */
class LossKernelsTest {
  private static final ScalarDoubleKernels K = new ScalarDoubleKernels();

  @Test
  void binaryCrossEntropyIsStableAndMatchesTheDefinition() {
    double[] x = {-800, -3, -0.5, 0, 0.5, 3, 800, 2};
    double[] t = {0, 0.2, 1, 0.5, 0, 0.7, 1, 0.3};
    double[] d = new double[8];
    double loss = K.binaryCrossEntropy(d, 0, x, 0, t, 0, 2, 4);
    double sum = 0;
    for (int i = 0; i < 8; i++) {
      double s = 1 / (1 + Math.exp(-x[i]));
      if (Math.abs(x[i]) < 30) sum -= t[i] * Math.log(s) + (1 - t[i]) * Math.log(1 - s);
      assertEquals((s - t[i]) / 8, d[i], 1e-15, "gradient " + i);
    }
    // the saturated entries: x = −800, t = 0 and x = 800, t = 1 cost exp(−800) ≈ 0
    assertEquals(sum / 8, loss, 1e-14);
    assertTrue(Double.isFinite(loss));
  }

  @Test
  void labelSmoothingIsTorchs() {
    double[] x = {1.0, -0.5, 2.0, 0.25};
    int[] label = {2};
    double eps = 0.1;
    double[] d = new double[4];
    double loss = K.softmaxCrossEntropy(null, 0, d, 0, x, 0, label, 0, 1, 4, eps);
    double z = 0;
    for (double v : x) z += Math.exp(v);
    double expected = 0;
    for (int j = 0; j < 4; j++) {
      double t = (j == 2 ? 1 - eps : 0) + eps / 4;
      double p = Math.exp(x[j]) / z;
      expected -= t * Math.log(p);
      assertEquals(p - t, d[j], 1e-15, "gradient " + j);
    }
    assertEquals(expected, loss, 1e-14);
  }

  @Test
  void finiteScan() {
    assertEquals(-1, Finite.firstNonFinite(new float[] {1, 2, 3}, 0, 3));
    assertEquals(2, Finite.firstNonFinite(new float[] {1, 2, Float.NaN, Float.POSITIVE_INFINITY}, 1, 3));
    assertEquals(-1, Finite.firstNonFinite(new double[] {Double.NaN, 1}, 1, 1));
    assertEquals(0, Finite.firstNonFinite(new double[] {Double.NEGATIVE_INFINITY}, 0, 1));
  }
}
