package dev.nabla.runtime.kernel;

/**
 * A small cache of packed forward weight panels, keyed by (W array, offset, shape) and tagged with
 * the caller's weights version: while the version stays the same, a model's predictions reuse the
 * panels instead of re-gathering the transposed weight on every call (for a 64-row forward the
 * gathers cost about as much as the product). Panel p holds W's columns [p·nr, (p+1)·nr) over the
 * whole depth, {@code [d][nr]}, zero-padded, so a k-block of it starts at {@code p·depth·nr + d0·nr}.
 * Entries are replaced round-robin; arrays are reused when the size allows, so steady state
 * allocates nothing. One instance per thread (inside its {@link VectorGemm}).
 */
final class WeightPanels {
  private static final int ENTRIES = 64;

  private final float[][] w = new float[ENTRIES][];
  private final int[] off = new int[ENTRIES];
  private final int[] n = new int[ENTRIES];
  private final int[] k = new int[ENTRIES];
  private final long[] version = new long[ENTRIES];
  private final float[][] panels = new float[ENTRIES][];
  private int next;

  /** W's panels for this version, packed now if the entry is missing or older. */
  float[] of(float[] weights, int wOff, int cols, int depth, long v, int nr) {
    int e = -1;
    for (int i = 0; i < ENTRIES; i++) {
      if (w[i] == weights && off[i] == wOff && n[i] == cols && k[i] == depth) {
        e = i;
        break;
      }
    }
    if (e >= 0 && version[e] == v) return panels[e];
    if (e < 0) {
      e = next;
      next = (next + 1) % ENTRIES;
      w[e] = weights;
      off[e] = wOff;
      n[e] = cols;
      k[e] = depth;
    }
    int size = (cols + nr - 1) / nr * nr * depth;
    if (panels[e] == null || panels[e].length < size) panels[e] = new float[size];
    for (int p = 0; p * nr < cols; p++) {
      GemmPack.packB(panels[e], p * depth * nr, weights, wOff, 1, depth, 0, depth, p * nr,
          Math.min(nr, cols - p * nr), nr);
    }
    version[e] = v;
    return panels[e];
  }
}
