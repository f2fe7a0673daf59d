package dev.nabla.runtime.kernel;

import static dev.nabla.runtime.kernel.TestData.OFF;
import static dev.nabla.runtime.kernel.TestData.assertClose;
import static dev.nabla.runtime.kernel.TestData.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SIMD sequence kernels (embeddings, positions, layer norm, attention) against the scalar
 * oracle, at every vector width the machine has, over shapes with vector tails, packed and strided
 * layouts, KV-cache offsets and calls large enough to go parallel.
 */
class VectorSequenceKernelsTest {
  static final ScalarFloatKernels SCALAR = new ScalarFloatKernels();
  static final double TOL = 1e-5;

  static Stream<VectorFloatKernels> kernels() {
    return VectorFloatKernelsTest.kernels();
  }

  // ---- attention ---------------------------------------------------------------------------------

  /**
   * Where q, k and v live: in separate arrays ({@code packed} false: q rows of heads·d, k and v rows
   * of kvStride with kvBatchStride between examples) or in one packed qkv array with rows of 3C.
   */
  record Layout(int batch, int tq, int tk, int heads, int d, boolean causal, boolean packed, int kvBatchRows) {
    int width() {
      return heads * d;
    }

    int qStride() {
      return packed ? 3 * width() : width();
    }

    /** Not packed: k and v share rows of a cache, with 3 spare columns. */
    int kvStride() {
      return packed ? 3 * width() : 2 * width() + 3;
    }

    int kvBatchStride() {
      return kvBatchRows * kvStride();
    }

    int qOff() {
      return OFF;
    }

    int kOff() {
      return packed ? OFF + width() : OFF;
    }

    int vOff() {
      return packed ? OFF + 2 * width() : OFF + width() + 1;
    }

    int qLen() {
      return batch * tq * qStride();
    }

    int kvLen() {
      return batch * kvBatchStride();
    }

    @Override
    public String toString() {
      return "batch=" + batch + " tq=" + tq + " tk=" + tk + " heads=" + heads + " d=" + d
          + (causal ? " causal" : "") + (packed ? " packed" : "") + " kvBatchRows=" + kvBatchRows;
    }
  }

  static Layout separate(int batch, int tq, int tk, int heads, int d, boolean causal, int kvBatchRows) {
    return new Layout(batch, tq, tk, heads, d, causal, false, kvBatchRows);
  }

  static Layout packed(int batch, int t, int heads, int d, boolean causal) {
    return new Layout(batch, t, t, heads, d, causal, true, t);
  }

  /**
   * Head widths with and without vector tails (odd, one or several chunks, a pair of chunks plus
   * one) against query and key counts with tails, causal and not.
   */
  @ParameterizedTest
  @MethodSource("kernels")
  void attentionMatchesScalar(VectorFloatKernels v) {
    int[] dims = {5, 8, 16, 20, 24, 32, 48, 64};
    int[][] lengths = {{1, 1}, {5, 5}, {17, 17}, {33, 33}, {7, 20}, {3, 37}, {16, 16}, {20, 7}};
    int c = 0;
    for (int d : dims) {
      for (int[] len : lengths) {
        for (boolean causal : new boolean[] {false, true}) {
          int heads = 1 + c % 3;
          int batch = 1 + c % 2;
          c++;
          // backward takes kvBatchStride = tk·kvStride; the forward also runs with a longer cache.
          Layout l = separate(batch, len[0], len[1], heads, d, causal, len[1]);
          checkForward(v, l);
          checkBackward(v, l);
          checkForward(v, separate(batch, len[0], len[1], heads, d, causal, len[1] + 5));
        }
      }
    }
  }

  /** A single query at the end of a KV cache sees every key; the cache holds more rows than tk. */
  @ParameterizedTest
  @MethodSource("kernels")
  void decodingWithCacheMatchesScalar(VectorFloatKernels v) {
    for (int d : new int[] {8, 24, 32, 64}) {
      for (int tk : new int[] {1, 15, 16, 17, 37, 64}) {
        checkForward(v, separate(3, 1, tk, 4, d, true, 64));
        checkForward(v, separate(2, 1, tk, 2, d, false, 70));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void packedQkvMatchesScalar(VectorFloatKernels v) {
    for (int d : new int[] {8, 16, 24, 32, 48, 64}) {
      for (int t : new int[] {1, 9, 16, 31}) {
        for (boolean causal : new boolean[] {false, true}) {
          Layout l = packed(2, t, 3, d, causal);
          checkForward(v, l);
          checkBackward(v, l);
        }
      }
    }
  }

  /** The target model: batch 32, T = 64, 4 heads of 32, causal, split over (example, head). */
  @ParameterizedTest
  @MethodSource("kernels")
  void largeAttentionGoesParallel(VectorFloatKernels v) {
    checkForward(v, packed(32, 64, 4, 32, true));
    checkBackward(v, packed(32, 64, 4, 32, true));
    checkForward(v, separate(8, 64, 64, 4, 32, false, 64));
    checkBackward(v, separate(8, 64, 64, 4, 32, false, 64));
  }

  /** Causal with more queries than keys: the first queries see no key, get o = 0 and lse = −∞. */
  @Test
  void queriesWithoutKeys() {
    Layout l = separate(1, 5, 3, 2, 4, true, 3);
    for (FloatKernels k : new FloatKernels[] {SCALAR, new VectorFloatKernels()}) {
      float[] q = floats(l.qLen(), 1);
      float[] kv = floats(l.kvLen() + 1, 2);
      float[] o = floats(l.batch() * l.tq() * l.width(), 3);
      float[] lse = floats(l.batch() * l.heads() * l.tq(), 4);
      k.attentionForward(o, OFF, lse, OFF, q, OFF, l.qStride(), kv, l.kOff(), kv, l.vOff(), l.kvStride(),
          l.kvBatchStride(), l.batch(), l.tq(), l.tk(), l.heads(), l.d(), true);
      for (int h = 0; h < l.heads(); h++) {
        for (int i = 0; i < 2; i++) {
          assertEquals(Float.NEGATIVE_INFINITY, lse[OFF + h * l.tq() + i], k.describe());
          for (int e = 0; e < l.d(); e++) assertEquals(0f, o[OFF + i * l.width() + h * l.d() + e], k.describe());
        }
        assertTrue(Float.isFinite(lse[OFF + h * l.tq() + 2]));
      }
    }
  }

  static void checkForward(FloatKernels v, Layout l) {
    long seed = 131L * l.d() + 17L * l.tq() + l.tk() + (l.causal() ? 7 : 0);
    float[] q = floats(l.qLen(), seed, -1.5f, 1.5f);
    float[] k;
    float[] val;
    if (l.packed()) {
      k = q;
      val = q;
    } else {
      k = floats(l.kvLen() + 1, seed + 1, -1.5f, 1.5f);
      val = k;
    }
    float[] os = floats(l.batch() * l.tq() * l.width(), seed + 2);
    float[] ov = os.clone();
    float[] ls = floats(l.batch() * l.heads() * l.tq(), seed + 3);
    float[] lv = ls.clone();
    SCALAR.attentionForward(os, OFF, ls, OFF, q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
        l.kvBatchStride(), l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
    v.attentionForward(ov, OFF, lv, OFF, q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
        l.kvBatchStride(), l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
    assertClose(os, ov, TOL, v.describe() + " attention forward o " + l);
    assertClose(ls, lv, TOL, v.describe() + " attention forward lse " + l);
    // without lse (not bit for bit: the JIT tier can change the last bit of exp)
    float[] ov2 = os.clone();
    v.attentionForward(ov2, OFF, null, 0, q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
        l.kvBatchStride(), l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
    assertClose(ov, ov2, TOL, v.describe() + " attention forward without lse " + l);
  }

  static void checkBackward(FloatKernels v, Layout l) {
    long seed = 37L * l.d() + 11L * l.tq() + l.tk() + (l.causal() ? 3 : 0);
    float[] q = floats(l.qLen(), seed, -1.5f, 1.5f);
    float[] k;
    float[] val;
    if (l.packed()) {
      k = q;
      val = q;
    } else {
      k = floats(l.kvLen() + 1, seed + 1, -1.5f, 1.5f);
      val = k;
    }
    int oLen = l.batch() * l.tq() * l.width();
    float[] o = floats(oLen, 0);
    float[] lse = floats(l.batch() * l.heads() * l.tq(), 0);
    SCALAR.attentionForward(o, OFF, lse, OFF, q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
        l.kvBatchStride(), l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
    float[] dOut = floats(oLen, seed + 2);
    String what = v.describe() + " attention backward " + l;
    if (l.packed()) {
      // dq, dk and dv in one packed gradient, like q, k and v
      float[] gs = floats(l.qLen(), seed + 3);
      float[] gv = gs.clone();
      SCALAR.attentionBackward(gs, l.qOff(), gs, l.kOff(), gs, l.vOff(), dOut, OFF, o, OFF, lse, OFF,
          q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
          l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
      v.attentionBackward(gv, l.qOff(), gv, l.kOff(), gv, l.vOff(), dOut, OFF, o, OFF, lse, OFF,
          q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
          l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
      assertClose(gs, gv, TOL, what + " dqkv");
    } else {
      float[] dqs = floats(l.qLen(), seed + 3);
      float[] dqv = dqs.clone();
      float[] dkvs = floats(l.kvLen() + 1, seed + 4);
      float[] dkvv = dkvs.clone();
      SCALAR.attentionBackward(dqs, OFF, dkvs, l.kOff(), dkvs, l.vOff(), dOut, OFF, o, OFF, lse, OFF,
          q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
          l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
      v.attentionBackward(dqv, OFF, dkvv, l.kOff(), dkvv, l.vOff(), dOut, OFF, o, OFF, lse, OFF,
          q, l.qOff(), l.qStride(), k, l.kOff(), val, l.vOff(), l.kvStride(),
          l.batch(), l.tq(), l.tk(), l.heads(), l.d(), l.causal());
      assertClose(dqs, dqv, TOL, what + " dq");
      assertClose(dkvs, dkvv, TOL, what + " dk, dv");
    }
  }

  // ---- layer norm ----------------------------------------------------------------------------------

  static final int[][] NORM_SHAPES = {{1, 1}, {3, 5}, {7, 16}, {5, 17}, {4, 33}, {9, 100}, {2, 128},
      {33, 15}, {600, 128}, {20, 4096}, {1000, 70}, {3, 9000}};

  @ParameterizedTest
  @MethodSource("kernels")
  void layerNormMatchesScalar(VectorFloatKernels v) {
    for (int[] s : NORM_SHAPES) {
      int m = s[0];
      int n = s[1];
      String what = v.describe() + " layer norm m=" + m + " n=" + n;
      // the oracle sums each row in float, one value after another: its error grows with n
      double tol = TOL * Math.max(1, Math.sqrt(n / 64.0));
      // an offset mean, so the statistics must not cancel
      float[] x = floats(m * n, m + 7L * n, 2f, 4f);
      float[] gamma = floats(n, n, 0.5f, 1.5f);
      float[] beta = floats(n, n + 1);
      float[] ys = floats(m * n, 1);
      float[] yv = ys.clone();
      float[] ms = floats(m, 2);
      float[] mv = ms.clone();
      float[] rs = floats(m, 3);
      float[] rv = rs.clone();
      SCALAR.layerNormForward(ys, OFF, ms, OFF, rs, OFF, x, OFF, gamma, OFF, beta, OFF, m, n, 1e-5f);
      v.layerNormForward(yv, OFF, mv, OFF, rv, OFF, x, OFF, gamma, OFF, beta, OFF, m, n, 1e-5f);
      assertClose(ys, yv, tol, what + " y");
      assertClose(ms, mv, tol, what + " mean");
      assertClose(rs, rv, 10 * tol, what + " rstd");
      float[] yNoStats = yv.clone();
      v.layerNormForward(yNoStats, OFF, null, 0, null, 0, x, OFF, gamma, OFF, beta, OFF, m, n, 1e-5f);
      assertClose(yv, yNoStats, 1e-6, what + " without statistics");

      float[] dy = floats(m * n, m + 3L * n);
      for (boolean acc : new boolean[] {false, true}) {
        float[] dxs = floats(m * n, 4);
        float[] dxv = dxs.clone();
        float[] dgs = floats(n, 5);
        float[] dgv = dgs.clone();
        float[] dbs = floats(n, 6);
        float[] dbv = dbs.clone();
        SCALAR.layerNormBackward(dxs, OFF, dgs, OFF, dbs, OFF, dy, OFF, x, OFF, ms, OFF, rs, OFF, gamma, OFF,
            m, n, acc);
        v.layerNormBackward(dxv, OFF, dgv, OFF, dbv, OFF, dy, OFF, x, OFF, ms, OFF, rs, OFF, gamma, OFF,
            m, n, acc);
        assertClose(dxs, dxv, tol, what + " dx acc=" + acc);
        assertClose(dgs, dgv, TOL * Math.sqrt(m), what + " dgamma");
        assertClose(dbs, dbv, TOL * Math.sqrt(m), what + " dbeta");
      }
      // no input gradient, and no parameter gradients
      float[] dgv = floats(n, 5);
      float[] dbv = floats(n, 6);
      v.layerNormBackward(null, 0, dgv, OFF, dbv, OFF, dy, OFF, x, OFF, ms, OFF, rs, OFF, gamma, OFF, m, n, false);
      float[] dgs = floats(n, 5);
      float[] dbs = floats(n, 6);
      SCALAR.layerNormBackward(null, 0, dgs, OFF, dbs, OFF, dy, OFF, x, OFF, ms, OFF, rs, OFF, gamma, OFF, m, n, false);
      assertClose(dgs, dgv, TOL * Math.sqrt(m), what + " dgamma without dx");
      assertClose(dbs, dbv, TOL * Math.sqrt(m), what + " dbeta without dx");
      float[] dxs = floats(m * n, 4);
      float[] dxv = dxs.clone();
      SCALAR.layerNormBackward(dxs, OFF, null, 0, null, 0, dy, OFF, x, OFF, ms, OFF, rs, OFF, gamma, OFF, m, n, true);
      v.layerNormBackward(dxv, OFF, null, 0, null, 0, dy, OFF, x, OFF, ms, OFF, rs, OFF, gamma, OFF, m, n, true);
      assertClose(dxs, dxv, tol, what + " dx without parameter gradients");
    }
  }

  /** dgamma and dbeta are summed in an order fixed by the shape: repeated calls agree bit for bit. */
  @ParameterizedTest
  @MethodSource("kernels")
  void layerNormBackwardIsDeterministic(VectorFloatKernels v) {
    int m = 700;
    int n = 128;
    float[] x = floats(m * n, 1);
    float[] dy = floats(m * n, 2);
    float[] gamma = floats(n, 3);
    float[] mean = new float[m + OFF];
    float[] rstd = new float[m + OFF];
    float[] y = new float[m * n + OFF];
    v.layerNormForward(y, OFF, mean, OFF, rstd, OFF, x, OFF, gamma, OFF, gamma, OFF, m, n, 1e-5f);
    float[] first = null;
    for (int rep = 0; rep < 5; rep++) {
      float[] dg = new float[n + OFF];
      v.layerNormBackward(null, 0, dg, OFF, null, 0, dy, OFF, x, OFF, mean, OFF, rstd, OFF, gamma, OFF, m, n, false);
      if (first == null) first = dg;
      else assertArrayEquals(first, dg);
    }
  }

  // ---- embeddings, positions, rows ------------------------------------------------------------------

  static final int[] COLS = {1, 3, 8, 16, 17, 40, 128};

  /** Tokens of `examples` examples of t positions, each example's tokens xStride apart. */
  static float[] tokens(int examples, int t, int xStride, int vocab, long seed) {
    float[] x = floats(examples * xStride, seed);
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    for (int b = 0; b < examples; b++) {
      for (int p = 0; p < t; p++) x[OFF + b * xStride + p] = r.nextInt(vocab);
    }
    return x;
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void embeddingsMatchScalar(VectorFloatKernels v) {
    int[][] shapes = {{3, 5, 11}, {2, 1, 4}, {4, 7, 3}, {256, 8, 65}, {32, 64, 65}, {4, 64, 5000}};
    for (int[] s : shapes) {
      int examples = s[0];
      int t = s[1];
      int vocab = s[2];
      int xStride = t + 2;
      int m = examples * t;
      float[] x = tokens(examples, t, xStride, vocab, m + vocab);
      for (int c : COLS) {
        String what = v.describe() + " embedding m=" + m + " t=" + t + " c=" + c + " vocab=" + vocab;
        float[] table = floats(vocab * c, c);
        float[] ys = floats(m * c, 1);
        float[] yv = ys.clone();
        SCALAR.embeddingForward(ys, OFF, table, OFF, x, OFF, xStride, t, m, c, vocab);
        v.embeddingForward(yv, OFF, table, OFF, x, OFF, xStride, t, m, c, vocab);
        assertArrayEquals(ys, yv, what + " forward");
        float[] dy = floats(m * c, c + 1);
        for (boolean acc : new boolean[] {false, true}) {
          float[] ds = floats(vocab * c, 2);
          float[] dv = ds.clone();
          SCALAR.embeddingBackward(ds, OFF, dy, OFF, x, OFF, xStride, t, m, c, vocab, acc);
          v.embeddingBackward(dv, OFF, dy, OFF, x, OFF, xStride, t, m, c, vocab, acc);
          // the same additions in the same order
          assertArrayEquals(ds, dv, what + " backward acc=" + acc);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void positionsMatchScalar(VectorFloatKernels v) {
    int[][] shapes = {{3, 5}, {1, 1}, {4, 16}, {32, 64}, {600, 7}};
    for (int[] s : shapes) {
      int examples = s[0];
      int t = s[1];
      int m = examples * t;
      for (int c : COLS) {
        String what = v.describe() + " positions m=" + m + " t=" + t + " c=" + c;
        float[] table = floats((t + 6) * c, c);
        float[] x = floats(m * c, c + 1);
        for (int start : new int[] {0, 6}) {
          float[] ys = floats(m * c, 1);
          float[] yv = ys.clone();
          SCALAR.addPositions(ys, OFF, x, OFF, table, OFF, start, t, m, c);
          v.addPositions(yv, OFF, x, OFF, table, OFF, start, t, m, c);
          assertArrayEquals(ys, yv, what + " start=" + start);
          float[] inPlace = x.clone();
          v.addPositions(inPlace, OFF, inPlace, OFF, table, OFF, start, t, m, c);
          assertArrayEquals(ys, inPlace, what + " in place");
        }
        for (boolean acc : new boolean[] {false, true}) {
          float[] ds = floats((t + 6) * c, 2);
          float[] dv = ds.clone();
          SCALAR.positionsBackward(ds, OFF, x, OFF, t, m, c, acc);
          v.positionsBackward(dv, OFF, x, OFF, t, m, c, acc);
          assertArrayEquals(ds, dv, what + " backward acc=" + acc);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("kernels")
  void copyRowsMatchesScalar(VectorFloatKernels v) {
    for (int c : COLS) {
      int m = 5;
      float[] src = floats(m * (c + 4), c);
      float[] ds = floats(m * (c + 9), c + 1);
      float[] dv = ds.clone();
      SCALAR.copyRows(ds, OFF + 2, c + 9, src, OFF + 1, c + 4, m, c);
      v.copyRows(dv, OFF + 2, c + 9, src, OFF + 1, c + 4, m, c);
      assertArrayEquals(ds, dv, "copyRows c=" + c);
      for (int r = 0; r < m; r++) {
        for (int j = 0; j < c; j++) assertEquals(src[OFF + 1 + r * (c + 4) + j], dv[OFF + 2 + r * (c + 9) + j]);
      }
    }
  }

  /** A token outside [0, vocab) or not a whole number names the example, the position and the value. */
  @Test
  void badTokensAreRejected() {
    int t = 4;
    int xStride = 6;
    for (FloatKernels k : new FloatKernels[] {SCALAR, new VectorFloatKernels()}) {
      for (float bad : new float[] {11f, -1f, 2.5f, Float.NaN}) {
        float[] x = tokens(3, t, xStride, 11, 5);
        x[OFF + xStride + 2] = bad;
        float[] y = new float[3 * t * 8];
        float[] table = floats(11 * 8, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> k.embeddingForward(y, 0, table, OFF, x, OFF, xStride, t, 3 * t, 8, 11));
        String msg = e.getMessage();
        assertTrue(msg.contains("example 1") && msg.contains("position 2") && msg.contains(String.valueOf(bad)),
            k.describe() + ": " + msg);
        assertThrows(IllegalArgumentException.class,
            () -> k.embeddingBackward(table, OFF, y, 0, x, OFF, xStride, t, 3 * t, 8, 11, false));
      }
    }
  }
}
