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
}
