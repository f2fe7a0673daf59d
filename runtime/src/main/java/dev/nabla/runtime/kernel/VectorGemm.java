package dev.nabla.runtime.kernel;

import dev.nabla.runtime.parallel.Parallel;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three dense GEMMs as one register-blocked driver: C[rows × cols] = A[rows × depth]·B[depth ×
 * cols] with A and B addressed through strides, so NT (forward), NN (backward to the input) and TN
 * (backward to the weights) share the micro-kernels. B is packed per column panel (two vectors
 * wide, zero-padded) into a per-thread buffer; a 6 × 2-vector tile accumulates in registers; the
 * mode's epilogue (bias + activation, accumulate, activation derivative) runs on the finished tile
 * before it is stored. Work splits into (column panel × row block) parts over {@link Parallel}.
 *
 * <p>One instance per calling thread: its fields are the current call's arguments.
 */
final class VectorGemm implements Parallel.Task {
  static final int FORWARD = 0;
  static final int BACK_INPUT = 1;
  static final int BACK_WEIGHT = 2;

  /** Rows per register tile: 6 × 2 accumulators leave room for the B vectors and a broadcast. */
  static final int MR = 6;
  /** Below this many FLOPs the hand-off to the pool costs more than it saves. */
  static final long PARALLEL_FLOPS = 1L << 21;

  private final VectorMath math;
  private final int lanes;
  /** Panel width in floats: two vectors. */
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
  private int rowBlocks;
  private int rowsPerBlock;

  VectorGemm(VectorMath math) {
    this.math = math;
    this.lanes = math.sp().length();
    this.nr = 2 * lanes;
  }

  void forward(float[] y, int yOff, float[] z, int zOff, float[] x, int xOff, float[] w, int wOff,
               float[] bias, int biasOff, int m, int n, int k, int act, float actParam) {
    set(FORWARD, y, yOff, m, n, k, x, xOff, k, 1, w, wOff, 1, k);
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
  }

  private void execute() {
    if (rows > 0 && cols > 0) {
      int panels = (cols + nr - 1) / nr;
      int tiles = (rows + MR - 1) / MR;
      int threads = 2L * rows * cols * depth >= PARALLEL_FLOPS ? Parallel.threads() : 1;
      // Enough parts to keep every thread busy; split rows only when there are too few panels.
      int blocks = panels >= 2 * threads ? 1 : Math.min(tiles, (2 * threads + panels - 1) / panels);
      rowsPerBlock = ((tiles + blocks - 1) / blocks) * MR;
      rowBlocks = (rows + rowsPerBlock - 1) / rowsPerBlock;
      Parallel.run(this, panels * rowBlocks);
    }
    // Drop references so the task does not keep the caller's arrays alive.
    c = null;
    a = null;
    b = null;
    z = null;
    bias = null;
    saved = null;
  }

  @Override
  public void run(int part) {
    int j0 = (part / rowBlocks) * nr;
    int cw = Math.min(nr, cols - j0);
    int r0 = (part % rowBlocks) * rowsPerBlock;
    int r1 = Math.min(rows, r0 + rowsPerBlock);
    VectorScratch s = VectorScratch.get();
    s.ensure(depth * nr, MR * nr, nr);
    float[] panel = s.panel;
    pack(panel, j0, cw);
    if (mode == FORWARD) {
      Arrays.fill(s.bias, 0, nr, 0f);
      if (bias != null) System.arraycopy(bias, biasOff + j0, s.bias, 0, cw);
    }
    float[] tile = s.tile;
    int r = r0;
    for (; r + MR <= r1; r += MR) {
      kernel6(panel, r, tile);
      for (int i = 0; i < MR; i++) epilogue(r + i, j0, cw, tile, i * nr, s);
    }
    for (; r < r1; r++) {
      kernel1(panel, r, tile);
      epilogue(r, j0, cw, tile, 0, s);
    }
  }

  /** panel[d·nr + j] = B(d, j0 + j), zero beyond the last column so tails need no masks. */
  private void pack(float[] panel, int j0, int cw) {
    if (bColStride == 1) {
      for (int d = 0; d < depth; d++) {
        System.arraycopy(b, bOff + d * bDepthStride + j0, panel, d * nr, cw);
        if (cw < nr) Arrays.fill(panel, d * nr + cw, (d + 1) * nr, 0f);
      }
    } else {
      for (int j = 0; j < cw; j++) {
        int src = bOff + (j0 + j) * bColStride;
        for (int d = 0; d < depth; d++) panel[d * nr + j] = b[src + d * bDepthStride];
      }
      for (int j = cw; j < nr; j++) {
        for (int d = 0; d < depth; d++) panel[d * nr + j] = 0f;
      }
    }
  }

  private void kernel6(float[] panel, int r, float[] tile) {
    VectorSpecies<Float> sp = math.sp();
    FloatVector c00 = FloatVector.zero(sp);
    FloatVector c01 = FloatVector.zero(sp);
    FloatVector c10 = FloatVector.zero(sp);
    FloatVector c11 = FloatVector.zero(sp);
    FloatVector c20 = FloatVector.zero(sp);
    FloatVector c21 = FloatVector.zero(sp);
    FloatVector c30 = FloatVector.zero(sp);
    FloatVector c31 = FloatVector.zero(sp);
    FloatVector c40 = FloatVector.zero(sp);
    FloatVector c41 = FloatVector.zero(sp);
    FloatVector c50 = FloatVector.zero(sp);
    FloatVector c51 = FloatVector.zero(sp);
    float[] a = this.a;
    int rs = aRowStride;
    int ds = aDepthStride;
    int ao = aOff + r * rs;
    int l = lanes;
    for (int d = 0, bo = 0; d < depth; d++, bo += nr, ao += ds) {
      FloatVector b0 = FloatVector.fromArray(sp, panel, bo);
      FloatVector b1 = FloatVector.fromArray(sp, panel, bo + l);
      FloatVector av = FloatVector.broadcast(sp, a[ao]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(sp, a[ao + rs]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(sp, a[ao + 2 * rs]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(sp, a[ao + 3 * rs]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(sp, a[ao + 4 * rs]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(sp, a[ao + 5 * rs]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    int n = nr;
    c00.intoArray(tile, 0);
    c01.intoArray(tile, l);
    c10.intoArray(tile, n);
    c11.intoArray(tile, n + l);
    c20.intoArray(tile, 2 * n);
    c21.intoArray(tile, 2 * n + l);
    c30.intoArray(tile, 3 * n);
    c31.intoArray(tile, 3 * n + l);
    c40.intoArray(tile, 4 * n);
    c41.intoArray(tile, 4 * n + l);
    c50.intoArray(tile, 5 * n);
    c51.intoArray(tile, 5 * n + l);
  }

  /** The row tail: one row, one accumulator per panel vector (no branch merges vectors: see VectorMath). */
  private void kernel1(float[] panel, int r, float[] tile) {
    VectorSpecies<Float> sp = math.sp();
    FloatVector c0 = FloatVector.zero(sp);
    FloatVector c1 = FloatVector.zero(sp);
    float[] a = this.a;
    int ds = aDepthStride;
    int ao = aOff + r * aRowStride;
    int l = lanes;
    for (int d = 0, bo = 0; d < depth; d++, bo += nr, ao += ds) {
      FloatVector av = FloatVector.broadcast(sp, a[ao]);
      c0 = av.fma(FloatVector.fromArray(sp, panel, bo), c0);
      c1 = av.fma(FloatVector.fromArray(sp, panel, bo + l), c1);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, l);
  }

  private void epilogue(int r, int j0, int cw, float[] tile, int t, VectorScratch s) {
    if (mode == FORWARD) epilogueForward(r * cols + j0, cw, tile, t, s);
    else epilogueBackward(r * cols + j0, cw, tile, t, s);
  }

  /**
   * c = tile + bias, a copy to z, then the activation over the stored row: array passes over a row
   * of the tile that is still in L1, with no vector crossing a call or a branch (see VectorMath).
   */
  private void epilogueForward(int base, int cw, float[] tile, int t, VectorScratch s) {
    VectorSpecies<Float> sp = math.sp();
    int o = cOff + base;
    for (int j = 0; j < cw; j += lanes) {
      VectorMask<Float> m = sp.indexInRange(j, cw);
      FloatVector.fromArray(sp, tile, t + j).add(FloatVector.fromArray(sp, s.bias, j)).intoArray(c, o + j, m);
    }
    if (z != null) System.arraycopy(c, o, z, zOff + base, cw);
    if (act != Act.NONE) math.activate(c, o, c, o, cw, act, actParam);
  }

  /** c = tile (+ c when accumulating), then c ⊙= act'(saved) over the stored row. */
  private void epilogueBackward(int base, int cw, float[] tile, int t, VectorScratch s) {
    VectorSpecies<Float> sp = math.sp();
    VectorMask<Float> acc = sp.maskAll(accumulate);
    int o = cOff + base;
    for (int j = 0; j < cw; j += lanes) {
      VectorMask<Float> m = sp.indexInRange(j, cw);
      FloatVector.fromArray(sp, tile, t + j).add(FloatVector.fromArray(sp, c, o + j, m), acc).intoArray(c, o + j, m);
    }
    if (act != Act.NONE) math.backward(c, o, saved, savedOff + base, c, o, cw, act, actParam, false);
  }
}
