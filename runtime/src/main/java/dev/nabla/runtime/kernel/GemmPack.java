package dev.nabla.runtime.kernel;

import java.util.Arrays;

/**
 * Packing of GEMM operands into the layouts the micro-kernels stream: contiguous, zero-padded, so
 * the kernels need no column or row tails. Plain scalar code (no vectors), so nothing here can box.
 *
 * <p>An operand X(i, d) lives at {@code x[off + i·iStride + d·dStride]}: this covers the plain and
 * the transposed matrices of NT, NN and TN with one routine each.
 */
final class GemmPack {
  private GemmPack() {}

  /**
   * B panels of one k-block: panel p holds columns [j0 + p·nr, j0 + (p+1)·nr) of rows
   * [d0, d0 + kcw) at {@code dst[dstOff + p·kcw·nr + d·nr + j]}; columns at or beyond j0 + cw are zero.
   */
  static void packB(float[] dst, int dstOff, float[] b, int bOff, int dStride, int jStride,
                    int d0, int kcw, int j0, int cw, int nr) {
    for (int p = 0, base = dstOff; p * nr < cw; p++, base += kcw * nr) {
      int pj = j0 + p * nr;
      int pw = Math.min(nr, cw - p * nr);
      if (jStride == 1) {
        // NN / TN: rows of B are contiguous, one copy per depth step.
        int src = bOff + d0 * dStride + pj;
        for (int d = 0; d < kcw; d++) {
          System.arraycopy(b, src + d * dStride, dst, base + d * nr, pw);
        }
      } else {
        // NT: B is the transposed weight; read along its contiguous depth, write strided by nr.
        for (int j = 0; j < pw; j++) {
          int src = bOff + (pj + j) * jStride + d0 * dStride;
          for (int d = 0; d < kcw; d++) dst[base + d * nr + j] = b[src + d * dStride];
        }
      }
      if (pw < nr) {
        for (int d = 0; d < kcw; d++) Arrays.fill(dst, base + d * nr + pw, base + (d + 1) * nr, 0f);
      }
    }
  }

  /**
   * An A micro-panel: rows [r, r + rv) of depth [d0, d0 + kcw) at {@code dst[d·mr + i]}; rows rv..mr
   * are zero so a short last tile runs the full kernel.
   */
  static void packA(float[] dst, float[] a, int aOff, int rStride, int dStride,
                    int r, int rv, int d0, int kcw, int mr) {
    int src = aOff + r * rStride + d0 * dStride;
    if (rStride == 1) {
      // TN: the rows of one depth step are contiguous (a loop: arraycopy of 6 floats costs more).
      for (int d = 0; d < kcw; d++) {
        int s = src + d * dStride;
        int t = d * mr;
        for (int i = 0; i < rv; i++) dst[t + i] = a[s + i];
      }
    } else {
      for (int i = 0; i < rv; i++) {
        int s = src + i * rStride;
        for (int d = 0; d < kcw; d++) dst[d * mr + i] = a[s + d * dStride];
      }
    }
    if (rv < mr) {
      for (int d = 0; d < kcw; d++) Arrays.fill(dst, d * mr + rv, (d + 1) * mr, 0f);
    }
  }

  /**
   * Every A micro-panel of rows [r0, r1) for depth [d0, d0 + kcw), when A's rows are adjacent
   * (rStride 1: TN, where A is dy transposed): tile t (rows r0 + t·mr ..) at {@code dst[t·kcw·mr +
   * d·mr + i]}, rows past r1 zero. One sweep along each depth step's contiguous run of A, instead of
   * one short strided walk per tile that misses L1 when the depth stride is a multiple of 4 KiB.
   */
  static void packATiles(float[] dst, float[] a, int aOff, int dStride, int r0, int r1, int d0, int kcw,
                         int mr) {
    int rows = r1 - r0;
    int full = rows / mr;
    int tail = rows - full * mr;
    int panel = kcw * mr;
    for (int d = 0; d < kcw; d++) {
      int src = aOff + (d0 + d) * dStride + r0;
      int t = d * mr;
      for (int tile = 0; tile < full; tile++, src += mr, t += panel) {
        for (int i = 0; i < mr; i++) dst[t + i] = a[src + i];
      }
      if (tail > 0) {
        for (int i = 0; i < tail; i++) dst[t + i] = a[src + i];
        for (int i = tail; i < mr; i++) dst[t + i] = 0f;
      }
    }
  }
}
