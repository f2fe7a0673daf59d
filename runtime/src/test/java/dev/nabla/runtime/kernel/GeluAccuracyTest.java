package dev.nabla.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD GELU and GELU' (an own exp and a fitted Mills ratio, see VectorMath) against the double
 * reference in MathFunctions: a dense sweep of [−12, 12] plus extremes, at 1e-6 absolute.
 */
class GeluAccuracyTest {
  static final double TOL = 1e-6;

  static Stream<VectorFloatKernels> kernels() {
    return VectorFloatKernelsTest.kernels();
  }

  /** [−12, 12] in steps of 1e-3, a finer sweep of [−0.01, 0.01], and values out to ±1e30. */
  static float[] inputs() {
    int coarse = 24001;
    int fine = 20001;
    float[] extremes = {0f, -0f, 1e-30f, -1e-30f, Float.MIN_VALUE, -Float.MIN_VALUE, 5.5f, -5.5f, 13.9f,
        -13.9f, 14f, -14f, 14.1f, -14.1f, 20f, -20f, 100f, -100f, 1e4f, -1e4f, 1e19f, -1e19f, 2e19f, -2e19f,
        1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE};
    float[] x = new float[coarse + fine + extremes.length];
    for (int i = 0; i < coarse; i++) x[i] = (float) (-12 + i * 1e-3);
    for (int i = 0; i < fine; i++) x[coarse + i] = (float) (-0.01 + i * 1e-6);
    System.arraycopy(extremes, 0, x, coarse + fine, extremes.length);
    return x;
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void geluAndDerivativeWithin1e6OfDoubleReference(VectorFloatKernels v) {
    float[] x = inputs();
    int n = x.length;
    float[] y = new float[n];
    float[] ones = new float[n];
    java.util.Arrays.fill(ones, 1f);
    float[] d = new float[n];
    v.activationForward(y, 0, x, 0, 1, n, Act.GELU, 0f);
    v.activationBackward(d, 0, ones, 0, x, 0, 1, n, Act.GELU, 0f, false);
    double worstY = 0;
    double worstD = 0;
    for (int i = 0; i < n; i++) {
      double xi = x[i];
      double ey = MathFunctions.gelu(xi);
      double ed = MathFunctions.geluDerivative(xi);
      if (Double.isNaN(ed)) ed = xi > 0 ? 1 : 0; // inf·0 in the reference for huge |x|
      assertTrue(Float.isFinite(y[i]) && Float.isFinite(d[i]), "x=" + x[i] + " y=" + y[i] + " d=" + d[i]);
      double errY = Math.abs(y[i] - ey);
      double errD = Math.abs(d[i] - ed);
      assertTrue(errY <= TOL, "GELU(" + x[i] + ") = " + y[i] + ", expected " + ey);
      assertTrue(errD <= TOL, "GELU'(" + x[i] + ") = " + d[i] + ", expected " + ed);
      worstY = Math.max(worstY, errY);
      worstD = Math.max(worstD, errD);
    }
    System.out.printf("%s: GELU max abs error %.3g, GELU' %.3g%n", v.describe(), worstY, worstD);
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void exactLimitsAndNaN(VectorFloatKernels v) {
    float[] x = {1e30f, -1e30f, 30f, -30f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN};
    int n = x.length;
    float[] y = new float[n];
    float[] d = new float[n];
    float[] ones = new float[n];
    java.util.Arrays.fill(ones, 1f);
    v.activationForward(y, 0, x, 0, 1, n, Act.GELU, 0f);
    v.activationBackward(d, 0, ones, 0, x, 0, 1, n, Act.GELU, 0f, false);
    for (int i = 0; i < n - 1; i++) {
      assertEquals(x[i] > 0 ? x[i] : 0f, y[i], 0f, "GELU(" + x[i] + ")");
      assertEquals(x[i] > 0 ? 1f : 0f, d[i], 0f, "GELU'(" + x[i] + ")");
    }
    assertTrue(Float.isNaN(y[n - 1]) && Float.isNaN(d[n - 1]), "NaN propagates");
  }
}
