package dev.nabla.runtime.kernel;

import static jdk.incubator.vector.VectorOperators.ADD;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The GEMM micro-kernels. Each keeps its accumulators in registers for a whole k-block and spills
 * them once to a tile array; every vector lives in straight-line code inside one method (see
 * {@link VectorMath}: a vector crossing a call or a branch merge is boxed).
 */
final class GemmKernels {
  /** Rows of the wide tile: 6 × 2 vectors = 12 accumulators, + 2 B vectors + 1 broadcast. */
  static final int MR = 6;
  /** Rows of the narrow tile (n ≤ one vector): 8 independent FMA chains hide the FMA latency. */
  static final int MRN = 8;

  private final VectorMath math;

  GemmKernels(VectorMath math) {
    this.math = math;
  }

  /**
   * The 6 × 2L tile (L = lanes) of C at {@code c[co + i·cs + j]}: C = (keep ? C : 0) + add[ao..] +
   * Σ_d A(i, d)·pb[bo + d·2L + j], with A read at {@code a[ao + i·rs + d·ds]} (a packed micro-panel,
   * or the caller's rows in place when their depth is contiguous) and B a packed panel. C is loaded
   * and stored whole: the caller passes a scratch tile for a partial tile. The keep mask makes the
   * first k-block overwrite without a branch (masked-off lanes load as zero).
   */
  void wide(float[] a, int ao, int rs, int ds, float[] pb, int bo, int kcw,
            float[] c, int co, int cs, boolean keep, float[] add, int addOff) {
    VectorSpecies<Float> sp = math.sp();
    int l = sp.length();
    int nr = 2 * l;
    VectorMask<Float> k = sp.maskAll(keep);
    FloatVector add0 = FloatVector.fromArray(sp, add, addOff);
    FloatVector add1 = FloatVector.fromArray(sp, add, addOff + l);
    int o1 = co + cs;
    int o2 = co + 2 * cs;
    int o3 = co + 3 * cs;
    int o4 = co + 4 * cs;
    int o5 = co + 5 * cs;
    FloatVector c00 = FloatVector.fromArray(sp, c, co, k).add(add0);
    FloatVector c01 = FloatVector.fromArray(sp, c, co + l, k).add(add1);
    FloatVector c10 = FloatVector.fromArray(sp, c, o1, k).add(add0);
    FloatVector c11 = FloatVector.fromArray(sp, c, o1 + l, k).add(add1);
    FloatVector c20 = FloatVector.fromArray(sp, c, o2, k).add(add0);
    FloatVector c21 = FloatVector.fromArray(sp, c, o2 + l, k).add(add1);
    FloatVector c30 = FloatVector.fromArray(sp, c, o3, k).add(add0);
    FloatVector c31 = FloatVector.fromArray(sp, c, o3 + l, k).add(add1);
    FloatVector c40 = FloatVector.fromArray(sp, c, o4, k).add(add0);
    FloatVector c41 = FloatVector.fromArray(sp, c, o4 + l, k).add(add1);
    FloatVector c50 = FloatVector.fromArray(sp, c, o5, k).add(add0);
    FloatVector c51 = FloatVector.fromArray(sp, c, o5 + l, k).add(add1);
    int r1 = rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int r4 = 4 * rs;
    int r5 = 5 * rs;
    for (int d = 0; d < kcw; d++) {
      int b = bo + d * nr;
      int p = ao + d * ds;
      FloatVector b0 = FloatVector.fromArray(sp, pb, b);
      FloatVector b1 = FloatVector.fromArray(sp, pb, b + l);
      FloatVector av = FloatVector.broadcast(sp, a[p]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(sp, a[p + r1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(sp, a[p + r2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(sp, a[p + r3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(sp, a[p + r4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(sp, a[p + r5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.intoArray(c, co);
    c01.intoArray(c, co + l);
    c10.intoArray(c, o1);
    c11.intoArray(c, o1 + l);
    c20.intoArray(c, o2);
    c21.intoArray(c, o2 + l);
    c30.intoArray(c, o3);
    c31.intoArray(c, o3 + l);
    c40.intoArray(c, o4);
    c41.intoArray(c, o4 + l);
    c50.intoArray(c, o5);
    c51.intoArray(c, o5 + l);
  }

  /**
   * A full B panel of the transposed operand (NT: B(d, j) = w[j·k + d]) by gathers: pb[bo + d·2L + j]
   * = b[src + idx[j] + d] for d in [0, kcw), where idx = {0, k, 2k, ...} (2L entries). Scalar
   * transposition costs a load and a store per element; a gather fetches a vector per instruction.
   */
  void gatherPanel(float[] pb, int bo, float[] b, int src, int[] idx, int kcw) {
    VectorSpecies<Float> sp = math.sp();
    int l = sp.length();
    int nr = 2 * l;
    for (int d = 0; d < kcw; d++) {
      FloatVector.fromArray(sp, b, src + d, idx, 0).intoArray(pb, bo + d * nr);
      FloatVector.fromArray(sp, b, src + d, idx, l).intoArray(pb, bo + d * nr + l);
    }
  }

  /**
   * The one-vector B panel of the narrow path for a transposed operand: pb[d·L + j] = b[src + idx[j]
   * + d] for j &lt; cw, zero beyond (masked gather), for d in [0, depth).
   */
  void gatherColumn(float[] pb, float[] b, int src, int[] idx, int depth, int cw) {
    VectorSpecies<Float> sp = math.sp();
    int l = sp.length();
    VectorMask<Float> m = sp.indexInRange(0, cw);
    for (int d = 0; d < depth; d++) {
      FloatVector.fromArray(sp, b, src + d, idx, 0, m).intoArray(pb, d * l);
    }
  }

  /**
   * The narrow tile for n ≤ L: tile[i·L + j] = Σ_d A(i, d)·pb[bo + d·L + j] for 8 rows, with A read
   * in place at {@code a[ao + i·rs + d·ds]} (A is used by one tile only, so packing it would cost
   * as much as the product).
   */
  void narrow(float[] a, int ao, int rs, int ds, float[] pb, int bo, int depth, float[] tile) {
    VectorSpecies<Float> sp = math.sp();
    int l = sp.length();
    FloatVector c0 = FloatVector.zero(sp);
    FloatVector c1 = FloatVector.zero(sp);
    FloatVector c2 = FloatVector.zero(sp);
    FloatVector c3 = FloatVector.zero(sp);
    FloatVector c4 = FloatVector.zero(sp);
    FloatVector c5 = FloatVector.zero(sp);
    FloatVector c6 = FloatVector.zero(sp);
    FloatVector c7 = FloatVector.zero(sp);
    int r1 = rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int r4 = 4 * rs;
    int r5 = 5 * rs;
    int r6 = 6 * rs;
    int r7 = 7 * rs;
    for (int d = 0; d < depth; d++) {
      FloatVector bv = FloatVector.fromArray(sp, pb, bo + d * l);
      int p = ao + d * ds;
      c0 = FloatVector.broadcast(sp, a[p]).fma(bv, c0);
      c1 = FloatVector.broadcast(sp, a[p + r1]).fma(bv, c1);
      c2 = FloatVector.broadcast(sp, a[p + r2]).fma(bv, c2);
      c3 = FloatVector.broadcast(sp, a[p + r3]).fma(bv, c3);
      c4 = FloatVector.broadcast(sp, a[p + r4]).fma(bv, c4);
      c5 = FloatVector.broadcast(sp, a[p + r5]).fma(bv, c5);
      c6 = FloatVector.broadcast(sp, a[p + r6]).fma(bv, c6);
      c7 = FloatVector.broadcast(sp, a[p + r7]).fma(bv, c7);
    }
    c0.intoArray(tile, 0);
    c1.intoArray(tile, l);
    c2.intoArray(tile, 2 * l);
    c3.intoArray(tile, 3 * l);
    c4.intoArray(tile, 4 * l);
    c5.intoArray(tile, 5 * l);
    c6.intoArray(tile, 6 * l);
    c7.intoArray(tile, 7 * l);
  }

  /**
   * Four dot products of length k for the matrix-vector product: out[o + i] = Σ_d w[wi + d]·x[xo + d]
   * for the row offsets w0..w3. Two accumulators per row (8 chains) keep loads in flight; the tail
   * is two masked steps, executed unconditionally so no vector merges across a branch.
   */
  void dot4(float[] w, int w0, int w1, int w2, int w3, float[] x, int xo, int k,
            float[] out, int o0, int o1, int o2, int o3) {
    VectorSpecies<Float> sp = math.sp();
    int l = sp.length();
    FloatVector a0 = FloatVector.zero(sp);
    FloatVector a1 = FloatVector.zero(sp);
    FloatVector a2 = FloatVector.zero(sp);
    FloatVector a3 = FloatVector.zero(sp);
    FloatVector b0 = FloatVector.zero(sp);
    FloatVector b1 = FloatVector.zero(sp);
    FloatVector b2 = FloatVector.zero(sp);
    FloatVector b3 = FloatVector.zero(sp);
    int d = 0;
    for (; d + 2 * l <= k; d += 2 * l) {
      FloatVector x0 = FloatVector.fromArray(sp, x, xo + d);
      FloatVector x1 = FloatVector.fromArray(sp, x, xo + d + l);
      a0 = FloatVector.fromArray(sp, w, w0 + d).fma(x0, a0);
      a1 = FloatVector.fromArray(sp, w, w1 + d).fma(x0, a1);
      a2 = FloatVector.fromArray(sp, w, w2 + d).fma(x0, a2);
      a3 = FloatVector.fromArray(sp, w, w3 + d).fma(x0, a3);
      b0 = FloatVector.fromArray(sp, w, w0 + d + l).fma(x1, b0);
      b1 = FloatVector.fromArray(sp, w, w1 + d + l).fma(x1, b1);
      b2 = FloatVector.fromArray(sp, w, w2 + d + l).fma(x1, b2);
      b3 = FloatVector.fromArray(sp, w, w3 + d + l).fma(x1, b3);
    }
    VectorMask<Float> m0 = sp.indexInRange(d, k);
    VectorMask<Float> m1 = sp.indexInRange(d + l, k);
    FloatVector x0 = FloatVector.fromArray(sp, x, xo + d, m0);
    FloatVector x1 = FloatVector.fromArray(sp, x, xo + d + l, m1);
    a0 = FloatVector.fromArray(sp, w, w0 + d, m0).fma(x0, a0);
    a1 = FloatVector.fromArray(sp, w, w1 + d, m0).fma(x0, a1);
    a2 = FloatVector.fromArray(sp, w, w2 + d, m0).fma(x0, a2);
    a3 = FloatVector.fromArray(sp, w, w3 + d, m0).fma(x0, a3);
    b0 = FloatVector.fromArray(sp, w, w0 + d + l, m1).fma(x1, b0);
    b1 = FloatVector.fromArray(sp, w, w1 + d + l, m1).fma(x1, b1);
    b2 = FloatVector.fromArray(sp, w, w2 + d + l, m1).fma(x1, b2);
    b3 = FloatVector.fromArray(sp, w, w3 + d + l, m1).fma(x1, b3);
    out[o0] = a0.add(b0).reduceLanes(ADD);
    out[o1] = a1.add(b1).reduceLanes(ADD);
    out[o2] = a2.add(b2).reduceLanes(ADD);
    out[o3] = a3.add(b3).reduceLanes(ADD);
  }
}
