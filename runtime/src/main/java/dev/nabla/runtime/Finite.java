package dev.nabla.runtime;

/** Scans for NaN and Inf, for the divergence check of the generated models. */
public final class Finite {
  private Finite() {}

  /** The index of the first NaN or Inf in a[off, off + len), or −1 when all are finite. */
  public static int firstNonFinite(float[] a, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (!Float.isFinite(a[i])) return i;
    }
    return -1;
  }

  /** The index of the first NaN or Inf in a[off, off + len), or −1 when all are finite. */
  public static int firstNonFinite(double[] a, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (!Double.isFinite(a[i])) return i;
    }
    return -1;
  }

  /** Throws {@link DivergenceException} when a[off, off + len) holds NaN or Inf. */
  public static void check(float[] a, int off, int len, long step, String layer, String what) {
    if (firstNonFinite(a, off, len) >= 0) throw new DivergenceException(step, layer, what);
  }

  /** Throws {@link DivergenceException} when a[off, off + len) holds NaN or Inf. */
  public static void check(double[] a, int off, int len, long step, String layer, String what) {
    if (firstNonFinite(a, off, len) >= 0) throw new DivergenceException(step, layer, what);
  }
}
