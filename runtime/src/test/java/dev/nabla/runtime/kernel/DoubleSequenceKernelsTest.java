package dev.nabla.runtime.kernel;

import static dev.nabla.runtime.kernel.TestData.OFF;
import static dev.nabla.runtime.kernel.TestData.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The double sequence kernels against central differences of a scalar loss (Σ output ⊙ w for a
 * random w, whose gradient to the output is w) and against naive formulations.
 */
class DoubleSequenceKernelsTest {
  static final ScalarDoubleKernels K = new ScalarDoubleKernels();
  static final double H = 1e-6;

  /** Compares analytic[from..to) with central differences of f around x. */
  static void checkGradient(String what, double[] x, double[] analytic, int from, int to,
                            ToDoubleFunction<double[]> f) {
    for (int i = from; i < to; i++) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[i] += H;
      minus[i] -= H;
      double numeric = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * H);
      double a = analytic[i];
      // relative, but small gradients are compared absolutely
      double rel = Math.abs(a - numeric) / Math.max(1e-2, Math.max(Math.abs(a), Math.abs(numeric)));
      if (rel > 1e-6) fail(what + ": element " + (i - from) + " analytic " + a + " numeric " + numeric + " rel " + rel);
    }
  }

  static double dot(double[] a, double[] b, int off, int len) {
    double s = 0;
    for (int i = off; i < off + len; i++) s += a[i] * b[i];
    return s;
  }

  // ---- attention -----------------------------------------------------------------------------------

  /** q, k and v packed in one array with rows of 3C; dq, dk and dv into one packed gradient. */
  @Test
  void attentionGradientsPacked() {
    int batch = 2;
    int t = 4;
    int heads = 2;
    int d = 3;
    int c = heads * d;
    int stride = 3 * c;
    for (boolean causal : new boolean[] {false, true}) {
      double[] qkv = doubles(batch * t * stride, causal ? 1 : 2, -1.5, 1.5);
      double[] w = doubles(batch * t * c, 3, -1, 1);
      double[] o = new double[w.length];
      double[] lse = new double[batch * heads * t + OFF];
      K.attentionForward(o, OFF, lse, OFF, qkv, OFF, stride, qkv, OFF + c, qkv, OFF + 2 * c, stride, t * stride,
          batch, t, t, heads, d, causal);
      double[] g = doubles(qkv.length - OFF - 5, 4, -9, 9); // garbage: the backward overwrites it
      K.attentionBackward(g, OFF, g, OFF + c, g, OFF + 2 * c, w, OFF, o, OFF, lse, OFF,
          qkv, OFF, stride, qkv, OFF + c, qkv, OFF + 2 * c, stride, batch, t, t, heads, d, causal);
      checkGradient("attention packed causal=" + causal, qkv, g, OFF, OFF + batch * t * stride, xs -> {
        double[] os = new double[w.length];
        K.attentionForward(os, OFF, null, 0, xs, OFF, stride, xs, OFF + c, xs, OFF + 2 * c, stride, t * stride,
            batch, t, t, heads, d, causal);
        return dot(os, w, OFF, batch * t * c);
      });
    }
  }

  /** Separate q and a kv array (k and v side by side in rows wider than 2C), tq ≠ tk. */
  @Test
  void attentionGradientsWithFewerQueries() {
    int batch = 2;
    int tq = 2;
    int tk = 5;
    int heads = 2;
    int d = 4;
    int c = heads * d;
    int kvStride = 2 * c + 1;
    for (boolean causal : new boolean[] {false, true}) {
      double[] q = doubles(batch * tq * c, 5, -1.5, 1.5);
      double[] kv = doubles(batch * tk * kvStride, 6, -1.5, 1.5);
      double[] w = doubles(batch * tq * c, 7, -1, 1);
      double[] o = new double[w.length];
      double[] lse = new double[batch * heads * tq + OFF];
      K.attentionForward(o, OFF, lse, OFF, q, OFF, c, kv, OFF, kv, OFF + c, kvStride, tk * kvStride,
          batch, tq, tk, heads, d, causal);
      double[] dq = doubles(q.length - OFF - 5, 8, -9, 9);
      double[] dkv = doubles(kv.length - OFF - 5, 9, -9, 9);
      K.attentionBackward(dq, OFF, dkv, OFF, dkv, OFF + c, w, OFF, o, OFF, lse, OFF,
          q, OFF, c, kv, OFF, kv, OFF + c, kvStride, batch, tq, tk, heads, d, causal);
      ToDoubleFunction<double[][]> loss = in -> {
        double[] os = new double[w.length];
        K.attentionForward(os, OFF, null, 0, in[0], OFF, c, in[1], OFF, in[1], OFF + c, kvStride, tk * kvStride,
            batch, tq, tk, heads, d, causal);
        return dot(os, w, OFF, batch * tq * c);
      };
      checkGradient("attention dq causal=" + causal, q, dq, OFF, OFF + q.length - OFF - 5,
          xs -> loss.applyAsDouble(new double[][] {xs, kv}));
      // the spare column of each kv row gets no gradient and is left alone
      for (int r = 0; r < batch * tk; r++) {
        int at = OFF + r * kvStride + 2 * c;
        double before = doubles(kv.length - OFF - 5, 9, -9, 9)[at];
        assertEquals(before, dkv[at], 0.0);
        dkv[at] = 0;
      }
      checkGradient("attention dk, dv causal=" + causal, kv, dkv, OFF, OFF + batch * tk * kvStride,
          xs -> loss.applyAsDouble(new double[][] {q, xs}));
    }
  }

  /** The online-softmax contract against an explicit softmax matrix P = softmax(QKᵀ/√d + mask). */
  @Test
  void attentionForwardMatchesExplicitSoftmax() {
    int batch = 2;
    int heads = 3;
    int d = 5;
    int c = heads * d;
    int[][] lengths = {{4, 4}, {1, 6}, {3, 7}, {6, 6}};
    for (int[] len : lengths) {
      int tq = len[0];
      int tk = len[1];
      for (boolean causal : new boolean[] {false, true}) {
        int kvBatchRows = tk + 2; // a cache longer than tk
        double[] q = doubles(batch * tq * c, tq, -2, 2);
        double[] k = doubles(batch * kvBatchRows * c, tk, -2, 2);
        double[] v = doubles(batch * kvBatchRows * c, tk + 1, -2, 2);
        double[] o = new double[batch * tq * c + OFF];
        double[] lse = new double[batch * heads * tq + OFF];
        K.attentionForward(o, OFF, lse, OFF, q, OFF, c, k, OFF, v, OFF, c, kvBatchRows * c,
            batch, tq, tk, heads, d, causal);
        for (int b = 0; b < batch; b++) {
          for (int h = 0; h < heads; h++) {
            double[][] s = new double[tq][tk];
            for (int i = 0; i < tq; i++) {
              for (int j = 0; j < tk; j++) {
                double dotp = 0;
                for (int e = 0; e < d; e++) {
                  dotp += q[OFF + (b * tq + i) * c + h * d + e] * k[OFF + (b * kvBatchRows + j) * c + h * d + e];
                }
                boolean visible = !causal || j <= i + tk - tq;
                s[i][j] = visible ? dotp / Math.sqrt(d) : Double.NEGATIVE_INFINITY;
              }
            }
            for (int i = 0; i < tq; i++) {
              double max = Double.NEGATIVE_INFINITY;
              for (int j = 0; j < tk; j++) max = Math.max(max, s[i][j]);
              double z = 0;
              for (int j = 0; j < tk; j++) z += Math.exp(s[i][j] - max);
              String what = "b=" + b + " h=" + h + " i=" + i + " tq=" + tq + " tk=" + tk + " causal=" + causal;
              assertEquals(max + Math.log(z), lse[OFF + (b * heads + h) * tq + i], 1e-12, what + " lse");
              for (int e = 0; e < d; e++) {
                double expected = 0;
                for (int j = 0; j < tk; j++) {
                  expected += Math.exp(s[i][j] - max) / z * v[OFF + (b * kvBatchRows + j) * c + h * d + e];
                }
                assertEquals(expected, o[OFF + (b * tq + i) * c + h * d + e], 1e-12, what + " o");
              }
            }
          }
        }
      }
    }
  }

  // ---- layer norm ----------------------------------------------------------------------------------

  @Test
  void layerNormGradients() {
    int m = 3;
    int n = 7;
    double eps = 1e-5;
    double[] x = doubles(m * n, 1, 2, 4);
    double[] gamma = doubles(n, 2, 0.5, 1.5);
    double[] beta = doubles(n, 3, -1, 1);
    double[] w = doubles(m * n, 4, -1, 1);
    double[] y = new double[x.length];
    double[] mean = new double[m + OFF];
    double[] rstd = new double[m + OFF];
    K.layerNormForward(y, OFF, mean, OFF, rstd, OFF, x, OFF, gamma, OFF, beta, OFF, m, n, eps);
    double[] dx = new double[x.length];
    double[] dgamma = doubles(n, 9, -9, 9);
    double[] dbeta = doubles(n, 10, -9, 9);
    K.layerNormBackward(dx, OFF, dgamma, OFF, dbeta, OFF, w, OFF, x, OFF, mean, OFF, rstd, OFF, gamma, OFF,
        m, n, false);
    ToDoubleFunction<double[][]> loss = in -> {
      double[] ys = new double[x.length];
      K.layerNormForward(ys, OFF, null, 0, null, 0, in[0], OFF, in[1], OFF, in[2], OFF, m, n, eps);
      return dot(ys, w, OFF, m * n);
    };
    checkGradient("layer norm dx", x, dx, OFF, OFF + m * n, xs -> loss.applyAsDouble(new double[][] {xs, gamma, beta}));
    checkGradient("layer norm dgamma", gamma, dgamma, OFF, OFF + n,
        gs -> loss.applyAsDouble(new double[][] {x, gs, beta}));
    checkGradient("layer norm dbeta", beta, dbeta, OFF, OFF + n, bs -> loss.applyAsDouble(new double[][] {x, gamma, bs}));

    // accumulate adds to dx; dgamma and dbeta are overwritten; dx may be null
    double[] acc = doubles(m * n, 11, -1, 1);
    double[] dx2 = acc.clone();
    K.layerNormBackward(dx2, OFF, dgamma, OFF, null, 0, w, OFF, x, OFF, mean, OFF, rstd, OFF, gamma, OFF, m, n, true);
    for (int i = OFF; i < OFF + m * n; i++) assertEquals(acc[i] + dx[i], dx2[i], 1e-14);
    double[] dgamma2 = new double[dgamma.length];
    K.layerNormBackward(null, 0, dgamma2, OFF, null, 0, w, OFF, x, OFF, mean, OFF, rstd, OFF, gamma, OFF, m, n, false);
    for (int j = OFF; j < OFF + n; j++) assertEquals(dgamma[j], dgamma2[j], 0.0);
  }

  @Test
  void layerNormMatchesNaiveFormula() {
    int m = 4;
    int n = 9;
    double eps = 1e-5;
    double[] x = doubles(m * n, 5, 1000, 1001); // a large mean next to a small variance
    double[] gamma = doubles(n, 6, 0.5, 1.5);
    double[] beta = doubles(n, 7, -1, 1);
    double[] y = new double[x.length];
    double[] mean = new double[m + OFF];
    double[] rstd = new double[m + OFF];
    K.layerNormForward(y, OFF, mean, OFF, rstd, OFF, x, OFF, gamma, OFF, beta, OFF, m, n, eps);
    for (int r = 0; r < m; r++) {
      double mu = 0;
      for (int j = 0; j < n; j++) mu += x[OFF + r * n + j];
      mu /= n;
      double var = 0;
      for (int j = 0; j < n; j++) var += (x[OFF + r * n + j] - mu) * (x[OFF + r * n + j] - mu);
      var /= n;
      double rs = 1 / Math.sqrt(var + eps);
      assertEquals(mu, mean[OFF + r], 1e-12 * Math.abs(mu));
      assertEquals(rs, rstd[OFF + r], 1e-9 * rs);
      for (int j = 0; j < n; j++) {
        double expected = (x[OFF + r * n + j] - mu) * rs * gamma[OFF + j] + beta[OFF + j];
        assertEquals(expected, y[OFF + r * n + j], 1e-9, "row " + r + " col " + j);
      }
    }
  }

  // ---- embeddings and positions ------------------------------------------------------------------------

  @Test
  void embeddingGradient() {
    int t = 3;
    int examples = 2;
    int xStride = 5;
    int m = examples * t;
    int c = 4;
    int vocab = 5;
    double[] x = new double[OFF + examples * xStride];
    double[] ids = {1, 3, 1, 4, 0, 1}; // repeats sum
    for (int r = 0; r < m; r++) x[OFF + (r / t) * xStride + r % t] = ids[r];
    x[OFF + t] = 77; // between examples: not a token
    double[] table = doubles(vocab * c, 1, -1, 1);
    double[] w = doubles(m * c, 2, -1, 1);
    double[] y = new double[m * c + OFF];
    K.embeddingForward(y, OFF, table, OFF, x, OFF, xStride, t, m, c, vocab);
    for (int r = 0; r < m; r++) {
      for (int j = 0; j < c; j++) assertEquals(table[OFF + (int) ids[r] * c + j], y[OFF + r * c + j], 0.0);
    }
    double[] dtable = doubles(vocab * c, 3, -9, 9);
    K.embeddingBackward(dtable, OFF, w, OFF, x, OFF, xStride, t, m, c, vocab, false);
    checkGradient("embedding", table, dtable, OFF, OFF + vocab * c, ts -> {
      double[] ys = new double[m * c + OFF];
      K.embeddingForward(ys, OFF, ts, OFF, x, OFF, xStride, t, m, c, vocab);
      return dot(ys, w, OFF, m * c);
    });
    double[] twice = dtable.clone();
    K.embeddingBackward(twice, OFF, w, OFF, x, OFF, xStride, t, m, c, vocab, true);
    for (int i = OFF; i < OFF + vocab * c; i++) assertEquals(2 * dtable[i], twice[i], 1e-14);
  }

  @Test
  void positionsGradient() {
    int t = 3;
    int examples = 3;
    int m = examples * t;
    int c = 4;
    int rows = t + 2; // the table is longer than t: rows past t are left alone
    double[] table = doubles(rows * c, 1, -1, 1);
    double[] x = doubles(m * c, 2, -1, 1);
    double[] w = doubles(m * c, 3, -1, 1);
    double[] dtable = doubles(rows * c, 4, -9, 9);
    double[] before = dtable.clone();
    K.positionsBackward(dtable, OFF, w, OFF, t, m, c, false);
    for (int i = OFF + t * c; i < OFF + rows * c; i++) assertEquals(before[i], dtable[i], 0.0);
    checkGradient("positions", table, dtable, OFF, OFF + t * c, ts -> {
      double[] ys = new double[m * c + OFF];
      K.addPositions(ys, OFF, x, OFF, ts, OFF, 0, t, m, c);
      return dot(ys, w, OFF, m * c);
    });
    // a decode step: one row at position 2 of the table
    double[] y = new double[c + OFF];
    K.addPositions(y, OFF, x, OFF, table, OFF, 2, 1, 1, c);
    for (int j = 0; j < c; j++) assertEquals(x[OFF + j] + table[OFF + 2 * c + j], y[OFF + j], 0.0);
  }

  @Test
  void badTokenNamesExamplePositionAndValue() {
    double[] x = {0, 1, 2, 3, 4, 9, 2, 1};
    double[] y = new double[8 * 2];
    double[] table = new double[5 * 2];
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> K.embeddingForward(y, 0, table, 0, x, 0, 4, 4, 8, 2, 5));
    assertTrue(e.getMessage().contains("example 1") && e.getMessage().contains("position 1")
        && e.getMessage().contains("9.0"), e.getMessage());
    x[5] = 0.5;
    assertThrows(IllegalArgumentException.class, () -> K.embeddingBackward(table, 0, y, 0, x, 0, 4, 4, 8, 2, 5, true));
  }
}
