package dev.nabla.runtime.kernel;

/** Per-thread work buffers of the SIMD kernels; they only grow, so steady-state calls allocate nothing. */
final class VectorScratch {
  private static final ThreadLocal<VectorScratch> CURRENT = ThreadLocal.withInitial(VectorScratch::new);

  /** Packed B: the panels of one (k-block × column block), or the narrow path's single panel. */
  float[] panel = new float[0];
  /** Packed A: one micro-panel (MR × k-block), or the narrow path's zero-padded row tail. */
  float[] apanel = new float[0];
  /** One register tile, spilled for the merge into C and the epilogue. */
  float[] tile = new float[0];
  /** Zeros standing in for a missing bias. */
  float[] zeros = new float[0];

  /** Attention: one head's keys transposed (headDim × keys padded to whole vectors). */
  float[] keysT = new float[0];
  /** Attention backward: one head's values transposed, like {@link #keysT}. */
  float[] valuesT = new float[0];
  /** Attention: one head's rows chunked (one vector of the head dimension per chunk, keys in order). */
  float[] rowsA = new float[0];
  /** Attention backward: more chunked rows (the dk accumulator). */
  float[] rowsB = new float[0];
  /** Attention backward: more chunked rows (the dv accumulator). */
  float[] rowsC = new float[0];
  /** Attention: the current query row's buffers (scaled query, output or dq accumulator, p, ds). */
  float[] rowBuf = new float[0];

  /** Attention: gather offsets {0, stride, ...} of a block of keys, then those of the last, short block. */
  int[] keyIndex = new int[0];

  /** Gather offsets {0, stride, 2·stride, ...} of the transposed-B packing. */
  private int[] gatherIndex = new int[0];

  static VectorScratch get() {
    return CURRENT.get();
  }

  /** Offsets j·stride for j &lt; valid, then 0: a masked gather still range-checks every lane. */
  int[] gatherIndex(int len, int stride, int valid) {
    if (gatherIndex.length < len) gatherIndex = new int[len];
    for (int j = 0; j < len; j++) gatherIndex[j] = j < valid ? j * stride : 0;
    return gatherIndex;
  }

  void ensure(int panelLen, int apanelLen, int tileLen) {
    if (panel.length < panelLen) panel = new float[Math.max(panelLen, panel.length * 2)];
    if (apanel.length < apanelLen) apanel = new float[Math.max(apanelLen, apanel.length * 2)];
    if (tile.length < tileLen) tile = new float[tileLen];
    if (zeros.length < tileLen) zeros = new float[tileLen];
  }

  void ensureAttention(int transposedLen, int chunkedLen, boolean backward, int rowLen) {
    if (keysT.length < transposedLen) keysT = new float[transposedLen];
    if (rowsA.length < chunkedLen) rowsA = new float[chunkedLen];
    if (backward) {
      if (valuesT.length < transposedLen) valuesT = new float[transposedLen];
      if (rowsB.length < chunkedLen) rowsB = new float[chunkedLen];
      if (rowsC.length < chunkedLen) rowsC = new float[chunkedLen];
    }
    if (rowBuf.length < rowLen) rowBuf = new float[rowLen];
  }

  /** keyIndex: [0, lanes) the offsets j·stride, [lanes, 2·lanes) those of the first {@code tail} keys, then 0. */
  int[] keyIndex(int lanes, int stride, int tail) {
    if (keyIndex.length < 2 * lanes) keyIndex = new int[2 * lanes];
    for (int j = 0; j < lanes; j++) {
      keyIndex[j] = j * stride;
      keyIndex[lanes + j] = j < tail ? j * stride : 0;
    }
    return keyIndex;
  }
}
