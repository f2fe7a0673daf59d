package dev.nabla.runtime.kernel;

import java.util.Arrays;

/** Per-thread work buffers of the SIMD kernels; they only grow, so steady-state calls allocate nothing. */
final class VectorScratch {
  private static final ThreadLocal<VectorScratch> CURRENT = ThreadLocal.withInitial(VectorScratch::new);

  /** Packed B panel: depth rows of one register tile's columns, zero-padded. */
  float[] panel = new float[0];
  /** One register tile, spilled for the epilogue. */
  float[] tile = new float[0];
  /** The bias of the panel's columns, zero-padded. */
  float[] bias = new float[0];
  /** One vector's worth, for column tails. */
  final float[] pad = new float[64];

  static VectorScratch get() {
    return CURRENT.get();
  }

  void ensure(int panelLen, int tileLen, int biasLen) {
    if (panel.length < panelLen) panel = new float[Math.max(panelLen, panel.length * 2)];
    if (tile.length < tileLen) tile = new float[tileLen];
    if (bias.length < biasLen) bias = new float[biasLen];
  }

  void clearPad() {
    Arrays.fill(pad, 0f);
  }
}
