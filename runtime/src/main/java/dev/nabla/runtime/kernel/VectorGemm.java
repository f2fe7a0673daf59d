package dev.nabla.runtime.kernel;

import dev.nabla.runtime.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three dense GEMMs as one cache-blocked driver: C[rows × cols] = A[rows × depth]·B[depth ×
 * cols] with A and B addressed through strides, so NT (forward), NN (backward to the input) and TN
 * (backward to the weights) share packing and micro-kernels ({@link GemmPack}, {@link GemmKernels}).
 *
 * <p>Wide path (cols &gt; one vector): for each column block (NC) and k-block (KC) the B panels are
 * packed once (KC × NC stays in L2), then each 6-row A micro-panel is packed (stays in L1) and run
 * against every B panel. The first k-block writes C (or adds to it when the call accumulates), later
 * blocks add; the epilogue (bias + activation, or act') runs after the last k-block only. Narrow
 * path (cols ≤ one vector, e.g. n = 16): one B panel over the whole depth and an 8-row tile reading A
 * in place. Matrix-vector path (forward, m = 1): dot products straight off W, bandwidth-bound.
 * Unpacked paths for small layers, where packing costs as much as the product: a forward with cols
 * ≤ one vector and a long depth runs 4 × 4 dot-product tiles on the rows of x and W (dotPart); a
 * backward-to-weights with a short depth (the batch) runs outer-product tiles on x in place
 * (outerPart).
 *
 * <p>Parallel: a large call splits into one part per thread, by column blocks (each thread packs its
 * own B) or, when that balances worse, by rows. One instance per calling thread: its fields are the
 * current call's arguments.
 */
final class VectorGemm implements Parallel.Task {
  static final int FORWARD = 0;
  static final int BACK_INPUT = 1;
  static final int BACK_WEIGHT = 2;

  static final int MR = GemmKernels.MR;
  static final int MRN = GemmKernels.MRN;
  /** Largest k-block: a 6 × KC A micro-panel (6 KiB) stays in L1 while it meets all B panels. */
  static final int KC = 256;
  /** Floats of packed B per k-block and column block: 384 KiB, well inside a 1 MiB L2. */
  static final int B_BLOCK = 96 * 1024;
  /** Below this many FLOPs the hand-off to the pool costs more than it saves. */
  static final long PARALLEL_FLOPS = 1L << 21;
  /** Matrix-vector products go parallel from this many weights (1 MiB): below, W sits in L2. */
  static final long PARALLEL_MATVEC = 1L << 18;
  /**
   * NT depth, in vectors, from which dot-product tiles beat gathering B for the narrow path (n ≤ one
   * vector): measured (32, 16, k) at 16 lanes, the gathers win at k = 64 and lose from k = 128.
   */
  static final int DOT_VECTORS = 6;
  /**
   * TN depth up to which B is read in place by outer-product tiles instead of packed: faster for
   * (32 or 64, n, k) with n up to 512, about even for (64, 512, 784).
   */
  static final int OUTER_DEPTH = 64;
  /** TN depth from which A is packed a whole k-block of row tiles at a time (see widePart). */
  static final int ALL_TILES_DEPTH = 1024;

  static final int NARROW = 0;
  static final int WIDE = 1;
  static final int DOT = 2;
  static final int OUTER = 3;

  private final VectorMath math;
  private final GemmKernels kernels;
  private final int lanes;
  private final int nr;

  private int mode;
  private float[] c;
  private int cOff;
  private int rows;
  private int cols;
  private int depth;
  private float[] a;
  private int aOff;
  private int aRowStride;
  private int aDepthStride;
  private float[] b;
  private int bOff;
  private int bDepthStride;
  private int bColStride;
  private float[] bias;
  private int biasOff;
  private float[] z;
  private int zOff;
  private float[] saved;
  private int savedOff;
  private boolean accumulate;
  private int act;
  private float actParam;
  /** Partition of the current call: parts = colParts × rowParts; or rows of W per matvec part. */
  private boolean matvec;
  private int path;
  private int rowParts;
  private int colsPerPart;
  private int rowsPerPart;
  /** The packed panels of the current call's W when {@link #panels} had them; else null. */
  private float[] prepacked;
  /** Weight panels kept between calls with the same weights version (this thread's predictions). */
  private final WeightPanels panels = new WeightPanels();

  VectorGemm(VectorMath math) {
    this.math = math;
    this.kernels = new GemmKernels(math);
    this.lanes = math.sp().length();
    this.nr = 2 * lanes;
  }

  void forward(float[] y, int yOff, float[] z, int zOff, float[] x, int xOff, float[] w, int wOff,
               float[] bias, int biasOff, int m, int n, int k, int act, float actParam) {
    forward(y, yOff, z, zOff, x, xOff, w, wOff, bias, biasOff, m, n, k, act, actParam, -1);
  }

  /** The forward; with a weights version ≥ 0 the wide path reuses W's panels from {@link #panels}. */
  void forward(float[] y, int yOff, float[] z, int zOff, float[] x, int xOff, float[] w, int wOff,
               float[] bias, int biasOff, int m, int n, int k, int act, float actParam, long version) {
    set(FORWARD, y, yOff, m, n, k, x, xOff, k, 1, w, wOff, 1, k);
    if (version >= 0 && m > 1 && n > lanes) prepacked = panels.of(w, wOff, n, k, version, nr);
    this.z = z;
    this.zOff = zOff;
    this.bias = bias;
    this.biasOff = biasOff;
    this.act = act == Act.SOFTMAX ? Act.NONE : act;
    this.actParam = actParam;
    execute();
  }

  void backwardInput(float[] dx, int dxOff, float[] dy, int dyOff, float[] w, int wOff,
                     float[] saved, int savedOff, int m, int n, int k, boolean accumulate, int act,
                     float actParam) {
    set(BACK_INPUT, dx, dxOff, m, k, n, dy, dyOff, n, 1, w, wOff, k, 1);
    this.saved = saved;
    this.savedOff = savedOff;
    this.accumulate = accumulate;
    this.act = act == Act.SOFTMAX ? Act.NONE : act;
    this.actParam = actParam;
    execute();
  }

  void backwardWeight(float[] dw, int dwOff, float[] dy, int dyOff, float[] x, int xOff,
                      int m, int n, int k, boolean accumulate) {
    set(BACK_WEIGHT, dw, dwOff, n, k, m, dy, dyOff, 1, n, x, xOff, k, 1);
    this.accumulate = accumulate;
    execute();
  }

  private void set(int mode, float[] c, int cOff, int rows, int cols, int depth,
                   float[] a, int aOff, int aRowStride, int aDepthStride,
                   float[] b, int bOff, int bDepthStride, int bColStride) {
    this.mode = mode;
    this.c = c;
    this.cOff = cOff;
    this.rows = rows;
    this.cols = cols;
    this.depth = depth;
    this.a = a;
    this.aOff = aOff;
    this.aRowStride = aRowStride;
    this.aDepthStride = aDepthStride;
    this.b = b;
    this.bOff = bOff;
    this.bDepthStride = bDepthStride;
    this.bColStride = bColStride;
    this.z = null;
    this.bias = null;
    this.saved = null;
    this.accumulate = false;
    this.act = Act.NONE;
    this.prepacked = null;
  }

  private void execute() {
    if (rows > 0 && cols > 0) {
      if (depth == 0) {
        zeroProduct();
      } else if (mode == FORWARD && rows == 1) {
        planMatvec();
      } else {
        plan();
      }
    }
    // Drop references so the task does not keep the caller's arrays alive.
    c = null;
    a = null;
    b = null;
    z = null;
    bias = null;
    saved = null;
    prepacked = null;
  }

  /** An empty depth: C is 0 (or unchanged when accumulating) before the epilogue. */
  private void zeroProduct() {
    VectorScratch s = VectorScratch.get();
    s.ensure(0, 0, MR * nr);
    java.util.Arrays.fill(s.tile, 0f);
    for (int j0 = 0; j0 < cols; j0 += nr) {
      int cw = Math.min(nr, cols - j0);
      for (int r = 0; r < rows; r++) merge(r, 1, j0, cw, s.tile, nr, true, true, s);
    }
  }

  private void planMatvec() {
    matvec = true;
    int threads = (long) cols * depth >= PARALLEL_MATVEC ? Parallel.threads() : 1;
    rowsPerPart = (cols + threads - 1) / threads;
    Parallel.run(this, (cols + rowsPerPart - 1) / rowsPerPart);
  }

  private void plan() {
    matvec = false;
    boolean narrow = cols <= lanes;
    if (narrow) {
      boolean dot = mode == FORWARD && aDepthStride == 1 && bDepthStride == 1
          && depth >= DOT_VECTORS * lanes;
      path = dot ? DOT : NARROW;
    } else {
      path = mode == BACK_WEIGHT && bColStride == 1 && depth <= OUTER_DEPTH ? OUTER : WIDE;
    }
    int unit = narrow ? lanes : nr;
    int rowUnit = narrow ? MRN : MR;
    int panels = (cols + unit - 1) / unit;
    int tiles = (rows + rowUnit - 1) / rowUnit;
    int threads = 2L * rows * cols * depth >= PARALLEL_FLOPS ? Parallel.threads() : 1;
    int colParts = 1;
    int rowParts = 1;
    if (threads > 1) {
      // Split the dimension that balances better; splitting rows makes every thread pack the
      // same B, so columns win ties.
      int byCols = Math.min(threads, panels);
      int byRows = Math.min(threads, tiles);
      double colLoad = (double) ceilDiv(panels, byCols) * threads / panels;
      double rowLoad = (double) ceilDiv(tiles, byRows) * threads / tiles;
      if (colLoad <= rowLoad * 1.02) colParts = byCols;
      else rowParts = byRows;
    }
    colsPerPart = ceilDiv(panels, colParts) * unit;
    rowsPerPart = ceilDiv(tiles, rowParts) * rowUnit;
    this.rowParts = ceilDiv(rows, rowsPerPart);
    int parts = ceilDiv(cols, colsPerPart) * this.rowParts;
    Parallel.run(this, parts);
  }

  private static int ceilDiv(int x, int y) {
    return (x + y - 1) / y;
  }

  @Override
  public void run(int part) {
    if (matvec) {
      int j0 = part * rowsPerPart;
      matvecRows(j0, Math.min(cols, j0 + rowsPerPart));
      return;
    }
    int c0 = (part / rowParts) * colsPerPart;
    int r0 = (part % rowParts) * rowsPerPart;
    int c1 = Math.min(cols, c0 + colsPerPart);
    int r1 = Math.min(rows, r0 + rowsPerPart);
    switch (path) {
      case NARROW -> narrowPart(r0, r1);
      case DOT -> dotPart(r0, r1);
      case OUTER -> outerPart(r0, r1, c0, c1);
      default -> widePart(r0, r1, c0, c1);
    }
  }

  /**
   * Forward NT with n ≤ one vector and a long depth: 4 × 4 tiles of dot products straight off the
   * rows of x and W (no packing), then bias, z and activation over the finished rows, which are
   * contiguous in C. Short row or column groups repeat their last row or column.
   */
  private void dotPart(int r0, int r1) {
    int k = depth;
    int last = r1 - 1;
    int lastCol = cols - 1;
    for (int r = r0; r < r1; r += 4) {
      int i1 = Math.min(r + 1, last);
      int i2 = Math.min(r + 2, last);
      int i3 = Math.min(r + 3, last);
      int a0 = aOff + r * aRowStride;
      int a1 = aOff + i1 * aRowStride;
      int a2 = aOff + i2 * aRowStride;
      int a3 = aOff + i3 * aRowStride;
      for (int j = 0; j < cols; j += 4) {
        int j1 = Math.min(j + 1, lastCol);
        int j2 = Math.min(j + 2, lastCol);
        int j3 = Math.min(j + 3, lastCol);
        kernels.dotTile(a, a0, a1, a2, a3, b, bOff + j * bColStride, bOff + j1 * bColStride,
            bOff + j2 * bColStride, bOff + j3 * bColStride, k, c, cOff + r * cols,
            cOff + i1 * cols, cOff + i2 * cols, cOff + i3 * cols, j, j1, j2, j3);
      }
    }
    if (bias != null) {
      for (int r = r0; r < r1; r++) {
        int o = cOff + r * cols;
        for (int j = 0; j < cols; j++) c[o + j] += bias[biasOff + j];
      }
    }
    rowsEpilogue(r0, r1);
  }

  /**
   * Backward to the weights (TN) with a short depth: 4-row × 4-vector outer-product tiles reading dy
   * and x in place, so x is not packed. Short row groups repeat their last row.
   */
  private void outerPart(int r0, int r1, int c0, int c1) {
    int w = 4 * lanes;
    int last = r1 - 1;
    boolean keep = accumulate;
    int fullEnd = c0 + (c1 - c0) / w * w;
    int tail = c1 - fullEnd;
    VectorScratch s = VectorScratch.get();
    float[] pb = b;
    if (tail > 0) {
      // The column tail: B's last columns zero-padded to one tile width, the result via a scratch tile.
      s.ensure(depth * w, 0, 4 * w);
      pb = s.panel;
      GemmPack.packB(pb, 0, b, bOff, bDepthStride, 1, 0, depth, fullEnd, tail, w);
    }
    if (!keep) {
      // The tiles always add to C: clearing it here keeps a masked "keep" load out of the tile,
      // whose size made C1 give up on it ("out of virtual registers"), which left it interpreted.
      for (int r = r0; r < r1; r++) java.util.Arrays.fill(c, cOff + r * cols + c0, cOff + r * cols + fullEnd, 0f);
    }
    // Column blocks outside, row groups inside: the block of x (depth × 4L) stays in L1 while every
    // row group of dW meets it.
    for (int j = c0; j < c1; j += w) {
      boolean full = j + w <= c1;
      float[] bb = full ? b : pb;
      int bo = full ? bOff + j : 0;
      int bs = full ? bDepthStride : w;
      for (int r = r0; r < r1; r += 4) {
        int i1 = Math.min(r + 1, last);
        int i2 = Math.min(r + 2, last);
        int i3 = Math.min(r + 3, last);
        int a0 = aOff + r * aRowStride;
        int a1 = aOff + i1 * aRowStride;
        int a2 = aOff + i2 * aRowStride;
        int a3 = aOff + i3 * aRowStride;
        if (full) {
          kernels.outerTile(a, a0, a1, a2, a3, aDepthStride, bb, bo, bs, depth,
              c, cOff + r * cols + j, cOff + i1 * cols + j, cOff + i2 * cols + j,
              cOff + i3 * cols + j);
        } else {
          float[] t = s.tile;
          java.util.Arrays.fill(t, 0, 4 * w, 0f);
          kernels.outerTile(a, a0, a1, a2, a3, aDepthStride, bb, bo, bs, depth, t, 0, w, 2 * w, 3 * w);
          int rv = Math.min(4, r1 - r);
          for (int i = 0; i < rv; i++) {
            int o = cOff + (r + i) * cols + j;
            int ti = i * w;
            if (keep) {
              for (int jj = 0; jj < tail; jj++) c[o + jj] += t[ti + jj];
            } else {
              System.arraycopy(t, ti, c, o, tail);
            }
          }
        }
      }
    }
  }

  private void widePart(int r0, int r1, int c0, int c1) {
    int nk = ceilDiv(depth, KC);
    int kc = ceilDiv(depth, nk);
    int nc = Math.max(nr, B_BLOCK / kc / nr * nr);
    // A rows whose depth is contiguous (NT, NN) are read in place; TN's A (dy transposed) is packed
    // so the kernel does not walk a column of dy through L1 sets that alias at the row stride. Over
    // a long depth (a big batch of rows: ALL_TILES_DEPTH) all of the part's row tiles are packed at
    // once per k-block, sweeping dy's rows (packATiles): measured 49-74 -> 65-84 GFLOP/s on the gpt
    // weight gradients (depth 2048), but slower than tile by tile on square 256 and 512.
    boolean inPlace = aDepthStride == 1;
    boolean allTiles = !inPlace && aRowStride == 1 && depth >= ALL_TILES_DEPTH;
    int aLen = allTiles ? ceilDiv(r1 - r0, MR) * MR * kc : kc * MR;
    VectorScratch s = VectorScratch.get();
    s.ensure(kc * Math.min(nc, ceilDiv(c1 - c0, nr) * nr), aLen, MR * nr);
    float[] pb = s.panel;
    float[] pa = s.apanel;
    float[] tile = s.tile;
    int[] idx = s.gatherIndex(nr, bColStride, nr);
    for (int jc = c0; jc < c1; jc += nc) {
      int ncw = Math.min(nc, c1 - jc);
      for (int d0 = 0; d0 < depth; d0 += kc) {
        int kcw = Math.min(kc, depth - d0);
        boolean first = d0 == 0;
        boolean last = d0 + kcw == depth;
        boolean keep = !first || accumulate;
        // Full tiles add the bias on the first k-block; partial tiles in merge() on the last.
        boolean withBias = first && mode == FORWARD && bias != null;
        float[] pbk = prepacked != null ? prepacked : pb;
        if (prepacked == null) packB(pb, idx, d0, kcw, jc, ncw);
        if (allTiles) GemmPack.packATiles(pa, a, aOff, aDepthStride, r0, r1, d0, kcw, MR);
        for (int r = r0; r < r1; r += MR) {
          int rv = Math.min(MR, r1 - r);
          float[] pa1 = a;
          int ao = aOff + r * aRowStride + d0;
          int rs = aRowStride;
          int ds = 1;
          if (allTiles) {
            pa1 = pa;
            ao = (r - r0) / MR * kcw * MR;
            rs = 1;
            ds = MR;
          } else if (!inPlace || rv < MR) {
            GemmPack.packA(pa, a, aOff, aRowStride, aDepthStride, r, rv, d0, kcw, MR);
            pa1 = pa;
            ao = 0;
            rs = 1;
            ds = MR;
          }
          for (int p = 0; p * nr < ncw; p++) {
            int j0 = jc + p * nr;
            int cw = Math.min(nr, ncw - p * nr);
            // packed here: panel p of this block; kept: W's panel j0 / nr over the whole depth, from d0
            int bo = prepacked == null ? p * kcw * nr : (j0 / nr) * depth * nr + d0 * nr;
            if (rv == MR && cw == nr) {
              kernels.wide(pa1, ao, rs, ds, pbk, bo, kcw, c, cOff + r * cols + j0, cols, keep,
                  withBias ? bias : s.zeros, withBias ? biasOff + j0 : 0);
              if (last) epilogue(r, MR, j0, nr);
            } else {
              kernels.wide(pa1, ao, rs, ds, pbk, bo, kcw, tile, 0, nr, false, s.zeros, 0);
              merge(r, rv, j0, cw, tile, nr, first, last, s);
            }
          }
        }
      }
    }
  }

  /** The B panels of columns [jc, jc + ncw) and depth [d0, d0 + kcw): full NT panels by gathers. */
  private void packB(float[] pb, int[] idx, int d0, int kcw, int jc, int ncw) {
    if (bColStride == 1 || bDepthStride != 1) {
      GemmPack.packB(pb, 0, b, bOff, bDepthStride, bColStride, d0, kcw, jc, ncw, nr);
      return;
    }
    for (int p = 0; p * nr < ncw; p++) {
      int j0 = jc + p * nr;
      int cw = Math.min(nr, ncw - p * nr);
      if (cw == nr) kernels.gatherPanel(pb, p * kcw * nr, b, bOff + j0 * bColStride + d0, idx, kcw);
      else GemmPack.packB(pb, p * kcw * nr, b, bOff, bDepthStride, bColStride, d0, kcw, j0, cw, nr);
    }
  }

  private void narrowPart(int r0, int r1) {
    VectorScratch s = VectorScratch.get();
    int l = lanes;
    s.ensure(depth * l, depth * MRN, MRN * l);
    float[] pb;
    int bo;
    if (bColStride == 1 && bDepthStride == l) {
      // The rows of B are exactly one vector long: B is its own packed panel.
      pb = b;
      bo = bOff;
    } else {
      pb = s.panel;
      bo = 0;
      if (bColStride != 1 && bDepthStride == 1) {
        kernels.gatherColumn(pb, b, bOff, s.gatherIndex(l, bColStride, cols), depth, cols);
      } else {
        GemmPack.packB(pb, 0, b, bOff, bDepthStride, bColStride, 0, depth, 0, cols, l);
      }
    }
    float[] tile = s.tile;
    int r = r0;
    for (; r + MRN <= r1; r += MRN) {
      kernels.narrow(a, aOff + r * aRowStride, aRowStride, aDepthStride, pb, bo, depth, tile);
      mergeTile(r, MRN, 0, cols, tile, l, true, true, s);
    }
    if (r < r1) {
      // Row tail: a zero-padded copy of the last rows runs the same 8-row kernel.
      GemmPack.packA(s.apanel, a, aOff, aRowStride, aDepthStride, r, r1 - r, 0, depth, MRN);
      kernels.narrow(s.apanel, 0, 1, MRN, pb, bo, depth, tile);
      mergeTile(r, r1 - r, 0, cols, tile, l, true, true, s);
    }
    rowsEpilogue(r0, r1);
  }

  /**
   * The epilogue of whole rows [r0, r1) (all columns): those rows are contiguous in C, so the copy
   * to z and the activation (or act') run as one call each rather than one per row.
   */
  private void rowsEpilogue(int r0, int r1) {
    int o = r0 * cols;
    int len = (r1 - r0) * cols;
    if (mode == FORWARD) {
      if (z != null) System.arraycopy(c, cOff + o, z, zOff + o, len);
      if (act != Act.NONE) math.activate(c, cOff + o, c, cOff + o, len, act, actParam);
    } else if (mode == BACK_INPUT && act != Act.NONE) {
      math.backward(c, cOff + o, saved, savedOff + o, c, cOff + o, len, act, actParam, false);
    }
  }

  /** y[j] = W[j]·x for j in [j0, j1), then bias and activation. */
  private void matvecRows(int j0, int j1) {
    int k = depth;
    int o = cOff;
    int j = j0;
    for (; j < j1; j += 4) {
      // A short last group repeats its last row (same value, written twice).
      int j1r = Math.min(j + 1, j1 - 1);
      int j2r = Math.min(j + 2, j1 - 1);
      int j3r = Math.min(j + 3, j1 - 1);
      kernels.dot4(b, bOff + j * k, bOff + j1r * k, bOff + j2r * k, bOff + j3r * k, a, aOff, k,
          c, o + j, o + j1r, o + j2r, o + j3r);
    }
    if (bias != null) {
      for (int i = j0; i < j1; i++) c[o + i] += bias[biasOff + i];
    }
    if (z != null) System.arraycopy(c, o + j0, z, zOff + j0, j1 - j0);
    if (act != Act.NONE) math.activate(c, o + j0, c, o + j0, j1 - j0, act, actParam);
  }

  /**
   * C[r.., j0..j0+cw) = (keep ? C : 0) + tile (+ bias on the last k-block of a forward), for rv rows
   * of the tile (row stride ts); then on the last k-block the epilogue over the stored rows: a copy
   * to z and the activation (forward) or the activation derivative (backward to the input).
   */
  private void merge(int r, int rv, int j0, int cw, float[] tile, int ts, boolean first,
                     boolean last, VectorScratch s) {
    mergeTile(r, rv, j0, cw, tile, ts, first, last, s);
    if (last) epilogue(r, rv, j0, cw);
  }

  /** The sum part of {@link #merge}, without the epilogue. */
  private void mergeTile(int r, int rv, int j0, int cw, float[] tile, int ts, boolean first,
                         boolean last, VectorScratch s) {
    VectorSpecies<Float> sp = math.sp();
    VectorMask<Float> keep = sp.maskAll(!first || accumulate);
    boolean withBias = last && mode == FORWARD && bias != null;
    float[] add = withBias ? bias : s.zeros;
    int addOff = withBias ? biasOff + j0 : 0;
    int l = lanes;
    for (int i = 0; i < rv; i++) {
      int base = (r + i) * cols + j0;
      int o = cOff + base;
      int t = i * ts;
      for (int j = 0; j < cw; j += l) {
        VectorMask<Float> m = math.tail(j, cw);
        FloatVector.fromArray(sp, tile, t + j)
            .add(FloatVector.fromArray(sp, add, addOff + j, m))
            .add(FloatVector.fromArray(sp, c, o + j, m), keep)
            .intoArray(c, o + j, m);
      }
    }
  }

  /** After the last k-block: a copy to z and the activation (forward), or act' (backward to the input). */
  private void epilogue(int r, int rv, int j0, int cw) {
    if (mode == FORWARD ? z == null && act == Act.NONE : mode == BACK_WEIGHT || act == Act.NONE) return;
    for (int i = 0; i < rv; i++) {
      int base = (r + i) * cols + j0;
      int o = cOff + base;
      if (mode == FORWARD) {
        if (z != null) System.arraycopy(c, o, z, zOff + base, cw);
        if (act != Act.NONE) math.activate(c, o, c, o, cw, act, actParam);
      } else {
        math.backward(c, o, saved, savedOff + base, c, o, cw, act, actParam, false);
      }
    }
  }
}
