package dev.nabla.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** SGD against hand-computed torch.optim.SGD steps, dropout masks, and label validation. */
class TrainingKernelsTest {
  static final FloatKernels[] FLOATS = {new ScalarFloatKernels(), new VectorFloatKernels()};
  static final double[] GRADS = {0.5, -0.25, 1.0};

  /** p0 = 1, lr = 0.1, μ = 0.9; expected values worked out by hand from the torch update rule. */
  @Test
  void sgdFollowsTorchSemantics() {
    check(0f, false, new double[] {0.95, 0.975, 0.875});
    check(0.9f, false, new double[] {0.95, 0.93, 0.812});
    check(0.9f, true, new double[] {0.905, 0.912, 0.7058});
  }

  /**
   * Adam, p0 = 1, lr = 0.1, β1 = 0.9, β2 = 0.999, ε = 1e-8, gradients 0.5, −0.25, 1.0: expected
   * values from the textbook form p −= lr·m̂ / (√v̂ + ε) evaluated independently in double.
   */
  @Test
  void adamFollowsTorchSemanticsWithBiasCorrection() {
    double[] expected = {0.900000002, 0.8733662987078463, 0.8075551396770898};
    int len = 37;
    for (FloatKernels k : FLOATS) {
      float[] p = new float[len + 2];
      float[] m = new float[len + 2];
      float[] v = new float[len + 2];
      float[] g = new float[len + 2];
      Arrays.fill(p, 1f);
      for (int step = 0; step < 3; step++) {
        Arrays.fill(g, (float) GRADS[step]);
        k.adamUpdate(p, g, m, v, 2, len, 0.1f, 0.9f, 0.999f, 1e-8f, step + 1, 1f);
        for (int i = 2; i < len + 2; i++) assertEquals(expected[step], p[i], 1e-6, k.describe() + " step " + step);
        assertEquals(1f, p[0]);
      }
    }
    double[] p = new double[len];
    double[] m = new double[len];
    double[] v = new double[len];
    double[] g = new double[len];
    Arrays.fill(p, 1.0);
    for (int step = 0; step < 3; step++) {
      Arrays.fill(g, GRADS[step]);
      Kernels.F64.adamUpdate(p, g, m, v, 0, len, 0.1, 0.9, 0.999, 1e-8, step + 1, 1.0);
      assertEquals(expected[step], p[len - 1], 1e-12);
    }
  }

  private void check(float momentum, boolean nesterov, double[] expected) {
    int len = 37;
    for (FloatKernels k : FLOATS) {
      float[] p = new float[len + 2];
      float[] v = momentum == 0 ? null : new float[len + 2];
      float[] g = new float[len + 2];
      Arrays.fill(p, 1f);
      for (int step = 0; step < 3; step++) {
        Arrays.fill(g, (float) GRADS[step]);
        k.sgdUpdate(p, g, v, 2, len, 0.1f, momentum, nesterov, 1f);
        for (int i = 2; i < len + 2; i++) assertEquals(expected[step], p[i], 1e-6, k.describe() + " step " + step);
        assertEquals(1f, p[0]);
      }
    }
    double[] p = new double[len];
    double[] v = momentum == 0 ? null : new double[len];
    double[] g = new double[len];
    Arrays.fill(p, 1.0);
    for (int step = 0; step < 3; step++) {
      Arrays.fill(g, GRADS[step]);
      Kernels.F64.sgdUpdate(p, g, v, 0, len, 0.1, momentum == 0 ? 0 : 0.9, nesterov, 1.0);
      assertEquals(expected[step], p[len - 1], 1e-12);
    }
  }

  @Test
  void dropoutMaskIsSharedAndScaled() {
    int len = 100_003;
    float rate = 0.3f;
    float[] x = TestData.floats(len, 1);
    float[][] masks = new float[2][];
    float[][] ys = new float[2][];
    for (int i = 0; i < 2; i++) {
      masks[i] = new float[len + 5];
      ys[i] = new float[len + 5];
      FLOATS[i].dropoutForward(ys[i], 5, masks[i], 5, x, TestData.OFF, len, rate, 42L);
    }
    assertArrayEquals(masks[0], masks[1]);
    assertArrayEquals(ys[0], ys[1]);
    double[] md = new double[len];
    double[] xd = new double[len];
    double[] yd = new double[len];
    Kernels.F64.dropoutForward(yd, 0, md, 0, xd, 0, len, rate, 42L);
    int dropped = 0;
    float scale = 1f / (1f - rate);
    for (int i = 0; i < len; i++) {
      float m = masks[0][5 + i];
      assertTrue(m == 0f || Math.abs(m - scale) < 1e-6, "mask value " + m);
      assertEquals(m == 0f, md[i] == 0.0, "double mask differs at " + i);
      if (m == 0f) dropped++;
    }
    assertEquals(rate, dropped / (double) len, 0.01);
    float[] other = new float[len + 5];
    FLOATS[1].dropoutForward(new float[len + 5], 5, other, 5, x, TestData.OFF, len, rate, 43L);
    assertTrue(!Arrays.equals(other, masks[0]), "another seed gives another mask");
  }

  @Test
  void labelOutOfRangeNamesTheRow() {
    int[] labels = {0, 1, 3, 2};
    for (FloatKernels k : FLOATS) {
      float[] logits = new float[12];
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> k.softmaxCrossEntropy(null, 0, new float[12], 0, logits, 0, labels, 0, 4, 3));
      assertTrue(e.getMessage().contains("row 2"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.F64.softmaxCrossEntropy(null, 0, new double[12], 0, new double[12], 0,
            new int[] {-1, 0, 0, 0}, 0, 4, 3));
    assertTrue(e.getMessage().contains("row 0"), e.getMessage());
  }

  @Test
  void kernelsPicksTheVectorImplementation() {
    assertTrue(Kernels.vectorModulePresent());
    assertTrue(Kernels.F32 instanceof VectorFloatKernels, Kernels.describe());
    assertTrue(Kernels.describe().contains("vector ("), Kernels.describe());
    assertTrue(Kernels.F64 instanceof ScalarDoubleKernels);
  }
}
