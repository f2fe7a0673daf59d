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
    VectorMask<Float> m = math.tail(0, cw);
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
    // The tail as a loop that runs at most once: no masked load past the end when k fills the
    // vectors (such a load takes the JDK's slow per-lane bounds check).
    for (; d < k; d += l) {
      VectorMask<Float> m0 = math.tail(d, k);
      FloatVector x0 = FloatVector.fromArray(sp, x, xo + d, m0);
      a0 = FloatVector.fromArray(sp, w, w0 + d, m0).fma(x0, a0);
      a1 = FloatVector.fromArray(sp, w, w1 + d, m0).fma(x0, a1);
      a2 = FloatVector.fromArray(sp, w, w2 + d, m0).fma(x0, a2);
      a3 = FloatVector.fromArray(sp, w, w3 + d, m0).fma(x0, a3);
    }
    out[o0] = a0.add(b0).reduceLanes(ADD);
    out[o1] = a1.add(b1).reduceLanes(ADD);
    out[o2] = a2.add(b2).reduceLanes(ADD);
    out[o3] = a3.add(b3).reduceLanes(ADD);
  }

  /**
   * A 4 × 4 tile of dot products for NT with contiguous depth on both sides: c[ci + jj] = Σ_d
   * a[ai + d]·w[wj + d] for row offsets a0..a3 (outputs at c0..c3) and weight rows w0..w3 (output
   * columns j0..j3). No packing and no gathers: both operands stream along k, 16 accumulators, one
   * horizontal reduction per output at the end. The depth tail is one masked step, executed
   * unconditionally so no vector merges across a branch. A caller short of rows or columns repeats
   * the last one (the same value is written twice).
   */
  void dotTile(float[] a, int a0, int a1, int a2, int a3, float[] w, int w0, int w1, int w2, int w3,
               int k, float[] c, int c0, int c1, int c2, int c3, int j0, int j1, int j2, int j3) {
    VectorSpecies<Float> sp = math.sp();
    int l = sp.length();
    FloatVector s00 = FloatVector.zero(sp);
    FloatVector s01 = FloatVector.zero(sp);
    FloatVector s02 = FloatVector.zero(sp);
    FloatVector s03 = FloatVector.zero(sp);
    FloatVector s10 = FloatVector.zero(sp);
    FloatVector s11 = FloatVector.zero(sp);
    FloatVector s12 = FloatVector.zero(sp);
    FloatVector s13 = FloatVector.zero(sp);
    FloatVector s20 = FloatVector.zero(sp);
    FloatVector s21 = FloatVector.zero(sp);
    FloatVector s22 = FloatVector.zero(sp);
    FloatVector s23 = FloatVector.zero(sp);
    FloatVector s30 = FloatVector.zero(sp);
    FloatVector s31 = FloatVector.zero(sp);
    FloatVector s32 = FloatVector.zero(sp);
    FloatVector s33 = FloatVector.zero(sp);
    int d = 0;
    for (int upper = sp.loopBound(k); d < upper; d += l) {
      FloatVector v0 = FloatVector.fromArray(sp, w, w0 + d);
      FloatVector v1 = FloatVector.fromArray(sp, w, w1 + d);
      FloatVector v2 = FloatVector.fromArray(sp, w, w2 + d);
      FloatVector v3 = FloatVector.fromArray(sp, w, w3 + d);
      FloatVector x = FloatVector.fromArray(sp, a, a0 + d);
      s00 = x.fma(v0, s00);
      s01 = x.fma(v1, s01);
      s02 = x.fma(v2, s02);
      s03 = x.fma(v3, s03);
      x = FloatVector.fromArray(sp, a, a1 + d);
      s10 = x.fma(v0, s10);
      s11 = x.fma(v1, s11);
      s12 = x.fma(v2, s12);
      s13 = x.fma(v3, s13);
      x = FloatVector.fromArray(sp, a, a2 + d);
      s20 = x.fma(v0, s20);
      s21 = x.fma(v1, s21);
      s22 = x.fma(v2, s22);
      s23 = x.fma(v3, s23);
      x = FloatVector.fromArray(sp, a, a3 + d);
      s30 = x.fma(v0, s30);
      s31 = x.fma(v1, s31);
      s32 = x.fma(v2, s32);
      s33 = x.fma(v3, s33);
    }
    for (; d < k; d += l) { // the tail, at most once (see dot4)
      VectorMask<Float> m = math.tail(d, k);
      FloatVector v0 = FloatVector.fromArray(sp, w, w0 + d, m);
      FloatVector v1 = FloatVector.fromArray(sp, w, w1 + d, m);
      FloatVector v2 = FloatVector.fromArray(sp, w, w2 + d, m);
      FloatVector v3 = FloatVector.fromArray(sp, w, w3 + d, m);
      FloatVector x = FloatVector.fromArray(sp, a, a0 + d, m);
      s00 = x.fma(v0, s00);
      s01 = x.fma(v1, s01);
      s02 = x.fma(v2, s02);
      s03 = x.fma(v3, s03);
      x = FloatVector.fromArray(sp, a, a1 + d, m);
      s10 = x.fma(v0, s10);
      s11 = x.fma(v1, s11);
      s12 = x.fma(v2, s12);
      s13 = x.fma(v3, s13);
      x = FloatVector.fromArray(sp, a, a2 + d, m);
      s20 = x.fma(v0, s20);
      s21 = x.fma(v1, s21);
      s22 = x.fma(v2, s22);
      s23 = x.fma(v3, s23);
      x = FloatVector.fromArray(sp, a, a3 + d, m);
      s30 = x.fma(v0, s30);
      s31 = x.fma(v1, s31);
      s32 = x.fma(v2, s32);
      s33 = x.fma(v3, s33);
    }
    c[c0 + j0] = s00.reduceLanes(ADD);
    c[c0 + j1] = s01.reduceLanes(ADD);
    c[c0 + j2] = s02.reduceLanes(ADD);
    c[c0 + j3] = s03.reduceLanes(ADD);
    c[c1 + j0] = s10.reduceLanes(ADD);
    c[c1 + j1] = s11.reduceLanes(ADD);
    c[c1 + j2] = s12.reduceLanes(ADD);
    c[c1 + j3] = s13.reduceLanes(ADD);
    c[c2 + j0] = s20.reduceLanes(ADD);
    c[c2 + j1] = s21.reduceLanes(ADD);
    c[c2 + j2] = s22.reduceLanes(ADD);
    c[c2 + j3] = s23.reduceLanes(ADD);
    c[c3 + j0] = s30.reduceLanes(ADD);
    c[c3 + j1] = s31.reduceLanes(ADD);
    c[c3 + j2] = s32.reduceLanes(ADD);
    c[c3 + j3] = s33.reduceLanes(ADD);
  }

  /**
   * A 4-row × 4-vector tile of an outer-product accumulation with both operands read in place (TN
   * with a short depth, where packing B would cost as much as the product): C(i, j) += Σ_d
   * a[ai + d·ads]·b[bo + d·bs + j] for j in [0, 4L), C row i at c[ci + j] (the caller clears C
   * first when it must not accumulate). Full tiles only (the
   * caller packs a column tail and merges it from a scratch tile). All C loads happen before any
   * store, so a caller short of rows may repeat the last one.
   */
  void outerTile(float[] a, int a0, int a1, int a2, int a3, int ads, float[] b, int bo, int bs,
                 int depth, float[] c, int c0, int c1, int c2, int c3) {
    VectorSpecies<Float> sp = math.sp();
    int l = sp.length();
    FloatVector s00 = FloatVector.fromArray(sp, c, c0);
    FloatVector s01 = FloatVector.fromArray(sp, c, c0 + l);
    FloatVector s02 = FloatVector.fromArray(sp, c, c0 + 2 * l);
    FloatVector s03 = FloatVector.fromArray(sp, c, c0 + 3 * l);
    FloatVector s10 = FloatVector.fromArray(sp, c, c1);
    FloatVector s11 = FloatVector.fromArray(sp, c, c1 + l);
    FloatVector s12 = FloatVector.fromArray(sp, c, c1 + 2 * l);
    FloatVector s13 = FloatVector.fromArray(sp, c, c1 + 3 * l);
    FloatVector s20 = FloatVector.fromArray(sp, c, c2);
    FloatVector s21 = FloatVector.fromArray(sp, c, c2 + l);
    FloatVector s22 = FloatVector.fromArray(sp, c, c2 + 2 * l);
    FloatVector s23 = FloatVector.fromArray(sp, c, c2 + 3 * l);
    FloatVector s30 = FloatVector.fromArray(sp, c, c3);
    FloatVector s31 = FloatVector.fromArray(sp, c, c3 + l);
    FloatVector s32 = FloatVector.fromArray(sp, c, c3 + 2 * l);
    FloatVector s33 = FloatVector.fromArray(sp, c, c3 + 3 * l);
    for (int d = 0; d < depth; d++) {
      int p = bo + d * bs;
      int q = d * ads;
      FloatVector b0 = FloatVector.fromArray(sp, b, p);
      FloatVector b1 = FloatVector.fromArray(sp, b, p + l);
      FloatVector b2 = FloatVector.fromArray(sp, b, p + 2 * l);
      FloatVector b3 = FloatVector.fromArray(sp, b, p + 3 * l);
      FloatVector av = FloatVector.broadcast(sp, a[a0 + q]);
      s00 = av.fma(b0, s00);
      s01 = av.fma(b1, s01);
      s02 = av.fma(b2, s02);
      s03 = av.fma(b3, s03);
      av = FloatVector.broadcast(sp, a[a1 + q]);
      s10 = av.fma(b0, s10);
      s11 = av.fma(b1, s11);
      s12 = av.fma(b2, s12);
      s13 = av.fma(b3, s13);
      av = FloatVector.broadcast(sp, a[a2 + q]);
      s20 = av.fma(b0, s20);
      s21 = av.fma(b1, s21);
      s22 = av.fma(b2, s22);
      s23 = av.fma(b3, s23);
      av = FloatVector.broadcast(sp, a[a3 + q]);
      s30 = av.fma(b0, s30);
      s31 = av.fma(b1, s31);
      s32 = av.fma(b2, s32);
      s33 = av.fma(b3, s33);
    }
    s00.intoArray(c, c0);
    s01.intoArray(c, c0 + l);
    s02.intoArray(c, c0 + 2 * l);
    s03.intoArray(c, c0 + 3 * l);
    s10.intoArray(c, c1);
    s11.intoArray(c, c1 + l);
    s12.intoArray(c, c1 + 2 * l);
    s13.intoArray(c, c1 + 3 * l);
    s20.intoArray(c, c2);
    s21.intoArray(c, c2 + l);
    s22.intoArray(c, c2 + 2 * l);
    s23.intoArray(c, c2 + 3 * l);
    s30.intoArray(c, c3);
    s31.intoArray(c, c3 + l);
    s32.intoArray(c, c3 + 2 * l);
    s33.intoArray(c, c3 + 3 * l);
  }
}
