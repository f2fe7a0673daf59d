package dev.nabla.runtime.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;

/** Random inputs placed at an offset with guard cells around them, and tolerant comparison. */
final class TestData {
  static final int OFF = 3;
  static final float GUARD = 12345.5f;

  private TestData() {}

  /** len random values in [lo, hi) starting at OFF, guards before and after. */
  static float[] floats(int len, long seed, float lo, float hi) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] a = new float[len + OFF + 5];
    java.util.Arrays.fill(a, GUARD);
    for (int i = 0; i < len; i++) a[OFF + i] = (float) (lo + (hi - lo) * r.nextDouble());
    return a;
  }

  static float[] floats(int len, long seed) {
    return floats(len, seed, -1f, 1f);
  }

  static double[] doubles(int len, long seed, double lo, double hi) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[len + OFF + 5];
    for (int i = 0; i < len; i++) a[OFF + i] = lo + (hi - lo) * r.nextDouble();
    return a;
  }

  static void assertClose(float[] expected, float[] actual, double tol, String what) {
    for (int i = 0; i < expected.length; i++) {
      float e = expected[i];
      float a = actual[i];
      if (e == a || Float.isNaN(e) && Float.isNaN(a)) continue;
      if (!(Math.abs(e - a) <= tol * (1 + Math.abs(e)))) {
        fail(what + ": index " + i + " expected " + e + " but was " + a);
      }
    }
  }
}
