package dev.nabla.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * After warm-up no kernel allocates on the calling thread, including calls large enough to go
 * parallel. Runs in its own JVM (surefire reuseForks=false) so JIT profiles from tests that use
 * other vector widths do not leak in.
 */
class AllocationTest {
  static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  static final FloatKernels K = Kernels.F32;
  static final DoubleKernels D = Kernels.F64;

  final int m = 64;
  final int n = 256;
  final int k = 192;
  final float[] x = TestData.floats(m * k, 1);
  final float[] w = TestData.floats(n * k, 2);
  final float[] b = TestData.floats(n, 3);
  final float[] y = new float[m * n];
  final float[] z = new float[m * n];
  final float[] dy = TestData.floats(m * n, 4);
  final float[] dx = new float[m * k];
  final float[] dy2 = new float[m * n];
  final float[] dw = new float[n * k];
  final float[] db = new float[n];
  final int[] labels = new int[m];
  final double[] xd = new double[m * k];
  final double[] wd = new double[n * k];
  final double[] yd = new double[m * n];
  final double[] dyd = new double[m * n];

  /** The wrapped call, repeated; returns a value so nothing is dead code. */
  private interface Call {
    void run();
  }

  private void assertNoAllocation(String name, Call call) {
    long tid = Thread.currentThread().threadId();
    long bytes = -1;
    // Interpreted and C1 code box vectors: warm up until C2 has compiled the call (a new argument
    // pattern can deoptimise a method back to C1 for a while), then demand zero.
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (bytes != 0 && System.nanoTime() < deadline) {
      for (int i = 0; i < 50; i++) call.run();
      long before = THREADS.getThreadAllocatedBytes(tid);
      for (int i = 0; i < 20; i++) call.run();
      bytes = THREADS.getThreadAllocatedBytes(tid) - before;
    }
    assertEquals(0, bytes, name + " allocated bytes after warm-up");
  }

  @Test
  void floatKernelsAllocateNothing() {
    for (int i = 0; i < m; i++) labels[i] = i % n;
    assertNoAllocation("denseForward", () -> K.denseForward(y, 0, z, 0, x, 0, w, 0, b, 0, m, n, k, Act.GELU, 0));
    assertNoAllocation("denseForward softmax", () -> K.denseForward(y, 0, null, 0, x, 0, w, 0, b, 0, m, n, k, Act.SOFTMAX, 1f));
    assertNoAllocation("denseBackwardInput", () -> K.denseBackwardInput(dx, 0, dy, 0, w, 0, x, 0, m, n, k, true, Act.TANH, 0));
    assertNoAllocation("activation softmax", () -> K.activationBackward(z, 0, dy, 0, y, 0, m, n, Act.SOFTMAX, 1f, false));
    assertNoAllocation("add", () -> K.add(z, 0, y, 0, dy, 0, m * n));
    assertNoAllocation("accumulate", () -> K.accumulate(z, 0, y, 0, m * n));
    assertNoAllocation("copyColumns", () -> K.copyColumns(z, 1, n, y, 0, n, m - 1, n - 3, true));
    assertNoAllocation("dropoutForward", () -> K.dropoutForward(z, 0, dw, 0, y, 0, m * n, 0.2f, 7L));
    assertNoAllocation("multiply", () -> K.multiply(z, 0, dy, 0, y, 0, m * n, true));
    assertNoAllocation("softmaxCrossEntropy", () -> K.softmaxCrossEntropy(z, 0, dy2, 0, y, 0, labels, 0, m, n));
    assertNoAllocation("smoothedSoftmaxCrossEntropy",
        () -> K.softmaxCrossEntropy(z, 0, dy2, 0, y, 0, labels, 0, m, n, 0.1f));
    assertNoAllocation("binaryCrossEntropy", () -> K.binaryCrossEntropy(z, 0, y, 0, dy, 0, m, n));
    assertNoAllocation("decayGradients", () -> K.decayGradients(dw, w, 0, n * k - 3, 1f, 1e-4f));
    assertNoAllocation("meanSquaredError", () -> K.meanSquaredError(z, 0, y, 0, dy, 0, m, n));
    assertNoAllocation("adamUpdate", () -> K.adamUpdate(w, dw, dx, dy2, 0, m * k, 0.001f, 0.9f, 0.999f, 1e-8f, 3, 1f));
    assertNoAllocation("sgdUpdate", () -> K.sgdUpdate(w, dw, db.length == n ? dw : null, 0, n * k, 0.01f, 0.9f, true, 1f));
  }

  /** The optimiser kernels of every rule, at a length with a vector tail, and the norm reduction. */
  @Test
  void optimiserKernelsAllocateNothing() {
    int len = n * k - 3;
    float[] p = TestData.floats(len, 11);
    float[] g = TestData.floats(len, 12, -1e-3f, 1e-3f);
    float[] s1 = TestData.floats(len, 13, 1f, 2f);
    float[] s2 = TestData.floats(len, 14, 0f, 0.1f);
    float[] s3 = TestData.floats(len, 15, 0f, 0.1f);
    double[] norm = new double[1];
    assertNoAllocation("gradNorm", () -> norm[0] += K.gradNorm(g, 0, len));
    assertNoAllocation("adamwUpdate", () -> K.adamwUpdate(p, g, s2, s1, 0, len, 1e-6f, 0.9f, 0.999f, 1e-8f, 0.01f, 3, 0.5f));
    assertNoAllocation("adagradUpdate", () -> K.adagradUpdate(p, g, s1, 0, len, 1e-6f, 1e-10f, 0.5f));
    assertNoAllocation("rmspropUpdate", () -> K.rmspropUpdate(p, g, s1, null, null, 0, len, 1e-6f, 0.99f, 1e-8f, 0f, 0.5f));
    assertNoAllocation("rmspropUpdate centred momentum",
        () -> K.rmspropUpdate(p, g, s1, s2, s3, 0, len, 1e-6f, 0.99f, 1e-8f, 0.9f, 0.5f));
    assertNoAllocation("adadeltaUpdate", () -> K.adadeltaUpdate(p, g, s1, s2, 0, len, 1e-6f, 0.9f, 1e-6f, 0.5f));
    assertNoAllocation("adamaxUpdate", () -> K.adamaxUpdate(p, g, s2, s1, 0, len, 1e-6f, 0.9f, 0.999f, 1e-8f, 3, 0.5f));
    assertNoAllocation("nadamUpdate", () -> K.nadamUpdate(p, g, s2, s1, 0, len, 1e-6f, 0.9f, 0.999f, 1e-8f, 0.004f, 3, 0.5, 0.5f));
  }

  /** Column tails, the row-tail kernel, backward to the weights and stand-alone activations. */
  @Test
  void tailsAndElementWiseKernelsAllocateNothing() {
    float[] dx2 = new float[m * 200];
    float[] x2 = TestData.floats(m * 200, 9);
    float[] w2 = TestData.floats(n * 200, 10);
    assertNoAllocation("denseForward small", () -> K.denseForward(y, 0, null, 0, x, 0, w, 0, null, 0, 3, 5, 7, Act.RELU, 0));
    assertNoAllocation("activationForward", () -> K.activationForward(z, 0, y, 0, m, n, Act.SWISH, 0));
    assertNoAllocation("activationBackward", () -> K.activationBackward(z, 0, dy, 0, y, 0, m, n, Act.SIGMOID, 0, true));
    assertNoAllocation("denseBackwardInput tail", () -> K.denseBackwardInput(dx2, 0, dy, 0, w2, 0, x2, 0, m, n, 200, true, Act.TANH, 0));
    assertNoAllocation("denseBackwardWeight", () -> K.denseBackwardWeight(dw, 0, db, 0, dy, 0, x, 0, m, n, k, true));
    for (int act = Act.SIGMOID; act <= Act.SWISH; act++) {
      int a = act;
      assertNoAllocation("activationForward " + Act.name(a), () -> K.activationForward(z, 0, y, 0, m, n - 3, a, 0.1f));
      assertNoAllocation("activationBackward " + Act.name(a), () -> K.activationBackward(z, 0, dy, 0, y, 0, m, n - 3, a, 0.1f, true));
      assertNoAllocation("denseForward tail " + Act.name(a), () -> K.denseForward(y, 0, z, 0, x, 0, w, 0, b, 0, m - 1, n - 5, k, a, 0.1f));
      assertNoAllocation("denseBackwardInput tail " + Act.name(a), () -> K.denseBackwardInput(dx, 0, dy, 0, w, 0, x, 0, m - 1, n, k - 7, false, a, 0.1f));
    }
  }

  @Test
  void doubleKernelsAllocateNothing() {
    assertNoAllocation("f64 denseForward", () -> D.denseForward(yd, 0, null, 0, xd, 0, wd, 0, null, 0, m, n, k, Act.GELU, 0));
    assertNoAllocation("f64 denseBackwardWeight", () -> D.denseBackwardWeight(wd, 0, null, 0, dyd, 0, xd, 0, m, n, k, true));
  }

  /**
   * The sequence kernels at the shapes of a small GPT (batch 8, T = 64, C = 128, 4 heads): layer
   * norm and attention large enough to go parallel, and a KV-cache decode step.
   */
  @Test
  void sequenceKernelsAllocateNothing() {
    int batch = 8;
    int t = 64;
    int c = 128;
    int heads = 4;
    int hd = c / heads;
    int rows = batch * t;
    int vocab = 65;
    float[] tokens = new float[rows];
    for (int i = 0; i < rows; i++) tokens[i] = (i * 7) % vocab;
    float[] table = TestData.floats(vocab * c, 21);
    float[] pos = TestData.floats(t * c, 22);
    float[] h = new float[rows * c];
    float[] h2 = new float[rows * c];
    float[] dh = TestData.floats(rows * c, 23);
    float[] dtable = new float[vocab * c];
    float[] dpos = new float[t * c];
    float[] gamma = TestData.floats(c, 24);
    float[] beta = TestData.floats(c, 25);
    float[] mean = new float[rows];
    float[] rstd = new float[rows];
    float[] dgamma = new float[c];
    float[] dbeta = new float[c];
    float[] qkv = TestData.floats(rows * 3 * c, 26);
    float[] dqkv = new float[rows * 3 * c];
    float[] att = new float[rows * c];
    float[] lse = new float[batch * heads * t];
    float[] cache = TestData.floats(batch * t * 2 * c, 27);
    assertNoAllocation("embeddingForward", () -> K.embeddingForward(h, 0, table, 0, tokens, 0, t, t, rows, c, vocab));
    assertNoAllocation("embeddingBackward", () -> K.embeddingBackward(dtable, 0, dh, 0, tokens, 0, t, t, rows, c, vocab, false));
    assertNoAllocation("addPositions", () -> K.addPositions(h, 0, h, 0, pos, 0, 0, t, rows, c));
    assertNoAllocation("positionsBackward", () -> K.positionsBackward(dpos, 0, dh, 0, t, rows, c, true));
    assertNoAllocation("layerNormForward", () -> K.layerNormForward(h2, 0, mean, 0, rstd, 0, h, 0, gamma, 0, beta, 0, rows, c, 1e-5f));
    assertNoAllocation("layerNormBackward", () -> K.layerNormBackward(h, 0, dgamma, 0, dbeta, 0, dh, 0, h2, 0, mean, 0, rstd, 0, gamma, 0, rows, c, true));
    assertNoAllocation("layerNormForward small", () -> K.layerNormForward(h2, 0, mean, 0, rstd, 0, h, 0, gamma, 0, beta, 0, 5, c - 3, 1e-5f));
    assertNoAllocation("layerNormBackward small", () -> K.layerNormBackward(h, 0, dgamma, 0, dbeta, 0, dh, 0, h2, 0, mean, 0, rstd, 0, gamma, 0, 5, c - 3, false));
    assertNoAllocation("attentionForward", () -> K.attentionForward(att, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, t * 3 * c, batch, t, t, heads, hd, true));
    assertNoAllocation("attentionBackward", () -> K.attentionBackward(dqkv, 0, dqkv, c, dqkv, 2 * c, dh, 0, att, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, batch, t, t, heads, hd, true));
    assertNoAllocation("attentionForward tails", () -> K.attentionForward(att, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, 37 * 3 * c, 2, 37, 37, 5, 24, false));
    assertNoAllocation("attentionBackward tails", () -> K.attentionBackward(dqkv, 0, dqkv, c, dqkv, 2 * c, dh, 0, att, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, 2, 37, 37, 5, 24, true));
    assertNoAllocation("copyRows", () -> K.copyRows(cache, 5 * 2 * c, 2 * c, qkv, c, 3 * c, 1, c));
    assertNoAllocation("attentionForward decode", () -> K.attentionForward(att, 0, null, 0, qkv, 0, 3 * c, cache, 0, cache, c, 2 * c, t * 2 * c, batch, 1, 37, heads, hd, true));
  }

  /**
   * The order of a GPT session that predicts before it trains: attention forward compiled first at
   * decode shapes (tq = 1) and at batch 1, then the training backward (batch 32, T = 64, 4 heads of
   * 32, packed qkv, causal). backwardHead used to be one 2 KB method: C2 compiled it past its
   * node-count inlining cutoff, left VectorMath.tail and the small helpers as calls and boxed the
   * vectors (about 600 MB per call, 35% slower).
   */
  @Test
  void attentionBackwardAfterPredictAllocatesNothing() {
    int batch = 32;
    int t = 64;
    int heads = 4;
    int hd = 32;
    int c = heads * hd;
    int rows = batch * t;
    float[] qkv = TestData.floats(rows * 3 * c, 31);
    float[] dqkv = new float[rows * 3 * c];
    float[] att = new float[rows * c];
    float[] dh = TestData.floats(rows * c, 32);
    float[] lse = new float[batch * heads * t];
    float[] cache = TestData.floats(t * 2 * c, 33);
    long deadline = System.nanoTime() + 3_000_000_000L;
    for (int i = 0; System.nanoTime() < deadline; i++) {
      K.attentionForward(att, 0, null, 0, qkv, 0, 3 * c, cache, 0, cache, c, 2 * c, t * 2 * c, 1, 1, 1 + i % t, heads, hd, true);
      if (i % 8 == 0) K.attentionForward(att, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, t * 3 * c, 1, t, t, heads, hd, true);
    }
    K.attentionForward(att, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, t * 3 * c, batch, t, t, heads, hd, true);
    assertNoAllocation("attentionBackward after predict", () -> K.attentionBackward(dqkv, 0, dqkv, c, dqkv, 2 * c, dh, 0,
        att, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, batch, t, t, heads, hd, true));
    assertNoAllocation("attentionForward training", () -> K.attentionForward(att, 0, lse, 0, qkv, 0, 3 * c, qkv, c,
        qkv, 2 * c, 3 * c, t * 3 * c, batch, t, t, heads, hd, true));
  }

  @Test
  void doubleSequenceKernelsAllocateNothing() {
    int batch = 2;
    int t = 16;
    int c = 32;
    int heads = 4;
    int rows = batch * t;
    double[] tokens = new double[rows];
    for (int i = 0; i < rows; i++) tokens[i] = i % 11;
    double[] table = new double[11 * c];
    double[] h = new double[rows * c];
    double[] h2 = new double[rows * c];
    double[] gamma = new double[c];
    double[] stats = new double[2 * rows];
    double[] qkv = new double[rows * 3 * c];
    double[] dqkv = new double[rows * 3 * c];
    double[] lse = new double[batch * heads * t];
    java.util.Arrays.fill(gamma, 1);
    assertNoAllocation("f64 embeddingForward", () -> D.embeddingForward(h, 0, table, 0, tokens, 0, t, t, rows, c, 11));
    assertNoAllocation("f64 embeddingBackward", () -> D.embeddingBackward(table, 0, h, 0, tokens, 0, t, t, rows, c, 11, true));
    assertNoAllocation("f64 layerNormForward", () -> D.layerNormForward(h2, 0, stats, 0, stats, rows, h, 0, gamma, 0, gamma, 0, rows, c, 1e-5));
    assertNoAllocation("f64 layerNormBackward", () -> D.layerNormBackward(h, 0, gamma, 0, null, 0, h2, 0, h, 0, stats, 0, stats, rows, gamma, 0, rows, c, true));
    assertNoAllocation("f64 attentionForward", () -> D.attentionForward(h2, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, t * 3 * c, batch, t, t, heads, c / heads, true));
    assertNoAllocation("f64 attentionBackward", () -> D.attentionBackward(dqkv, 0, dqkv, c, dqkv, 2 * c, h, 0, h2, 0, lse, 0, qkv, 0, 3 * c, qkv, c, qkv, 2 * c, 3 * c, batch, t, t, heads, c / heads, true));
  }
}
