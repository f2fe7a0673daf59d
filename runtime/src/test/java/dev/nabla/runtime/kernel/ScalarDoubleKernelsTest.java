package dev.nabla.runtime.kernel;

import static dev.nabla.runtime.kernel.TestData.OFF;
import static dev.nabla.runtime.kernel.TestData.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The double reference against central differences and naive loops. */
class ScalarDoubleKernelsTest {
  static final ScalarDoubleKernels K = new ScalarDoubleKernels();
  static final double H = 1e-6;

  @Test
  void erfKnownValues() {
    erf(0.5, 0.5204998778130465);
    erf(1.0, 0.8427007929497149);
    erf(2.0, 0.9953222650189527);
    erf(-3.0, -0.9999779095030014);
    erf(-0.1, -0.1124629160182849);
    erf(4.0, 0.9999999845827421);
    erf(1e-10, 1.1283791670955126e-10);
    assertEquals(0.0, MathFunctions.erf(0.0), 0.0);
    assertEquals(1.0, MathFunctions.erf(10.0), 0.0);
    assertEquals(1.5374597944280349e-12, MathFunctions.erfc(5.0), 4e-16 * 1.5374597944280349e-12);
    assertEquals(2.0884875837625447e-45, MathFunctions.erfc(10.0), 4e-15 * 2.0884875837625447e-45);
    assertEquals(0.5204998778f, MathFunctions.erf(0.5f), 1e-7f);
  }

  /** Within a few ulps. */
  private static void erf(double x, double expected) {
    assertEquals(expected, MathFunctions.erf(x), 4e-16 * Math.abs(expected), "erf(" + x + ")");
  }

  @Test
  void activationBackwardMatchesCentralDifferences() {
    int m = 3;
    int n = 7;
    for (int act = Act.SIGMOID; act <= Act.SOFTMAX; act++) {
      final int a = act;
      double p = act == Act.LEAKY_RELU ? 0.02 : act == Act.ELU ? 0.8 : act == Act.SOFTMAX ? 0.7 : 0;
      double[] x = doubles(m * n, act, -3, 3);
      for (int i = OFF; i < OFF + m * n; i++) if (Math.abs(x[i]) < 0.1) x[i] += 0.3;
      double[] dy = doubles(m * n, 100 + act, -1, 1);
      double[] y = new double[x.length];
      K.activationForward(y, OFF, x, OFF, m, n, a, p);
      double[] saved = Act.derivativeFromOutput(a) ? y : x;
      double[] dx = new double[x.length];
      K.activationBackward(dx, OFF, dy, OFF, saved, OFF, m, n, a, p, false);
      checkGradient(Act.name(a), x, dx, m * n, xs -> {
        double[] out = new double[xs.length];
        K.activationForward(out, OFF, xs, OFF, m, n, a, p);
        double s = 0;
        for (int i = OFF; i < OFF + m * n; i++) s += out[i] * dy[i];
        return s;
      });
    }
  }

  @Test
  void denseBackwardInputFoldsTheDerivative() {
    int m = 4;
    int n = 5;
    int k = 6;
    for (int act : new int[] {Act.TANH, Act.GELU, Act.SWISH, Act.SOFTMAX}) {
      double p = act == Act.SOFTMAX ? 1.3 : 0;
      double[] h = doubles(m * k, act, -2, 2);
      double[] w = doubles(n * k, act + 1, -1, 1);
      double[] dy = doubles(m * n, act + 2, -1, 1);
      double[] a = new double[h.length];
      K.activationForward(a, OFF, h, OFF, m, k, act, p);
      double[] saved = Act.derivativeFromOutput(act) ? a : h;
      double[] dh = new double[h.length];
      K.denseBackwardInput(dh, OFF, dy, OFF, w, OFF, saved, OFF, m, n, k, false, act, p);
      checkGradient("dense input " + Act.name(act), h, dh, m * k, hs -> {
        double[] as = new double[hs.length];
        K.activationForward(as, OFF, hs, OFF, m, k, act, p);
        double[] y = new double[m * n + OFF];
        K.denseForward(y, OFF, null, 0, as, OFF, w, OFF, null, 0, m, n, k, Act.NONE, 0);
        double s = 0;
        for (int i = OFF; i < OFF + m * n; i++) s += y[i] * dy[i];
        return s;
      });
    }
  }

  @Test
  void softmaxCrossEntropyGradient() {
    int m = 4;
    int n = 6;
    double[] logits = doubles(m * n, 1, -3, 3);
    int[] labels = {2, 0, 5, 3};
    double[] d = new double[logits.length];
    double[] probs = new double[logits.length];
    double loss = K.softmaxCrossEntropy(probs, OFF, d, OFF, logits, OFF, labels, 0, m, n);
    assertTrue(loss > 0);
    checkGradient("softmax-ce", logits, d, m * n,
        ls -> K.softmaxCrossEntropy(null, 0, null, 0, ls, OFF, labels, 0, m, n));
    for (int r = 0; r < m; r++) {
      double s = 0;
      for (int j = 0; j < n; j++) s += probs[OFF + r * n + j];
      assertEquals(1.0, s, 1e-12);
    }
  }

  @Test
  void meanSquaredErrorGradient() {
    int m = 3;
    int n = 5;
    double[] pred = doubles(m * n, 2, -2, 2);
    double[] target = doubles(m * n, 3, -2, 2);
    double[] d = new double[pred.length];
    K.meanSquaredError(d, OFF, pred, OFF, target, OFF, m, n);
    checkGradient("mse", pred, d, m * n, ps -> K.meanSquaredError(null, 0, ps, OFF, target, OFF, m, n));
  }

  @Test
  void gemmsMatchNaiveLoops() {
    int m = 5;
    int n = 4;
    int k = 7;
    double[] x = doubles(m * k, 1, -1, 1);
    double[] w = doubles(n * k, 2, -1, 1);
    double[] b = doubles(n, 3, -1, 1);
    double[] dy = doubles(m * n, 4, -1, 1);
    double[] y = new double[m * n + OFF];
    double[] z = new double[m * n + OFF];
    K.denseForward(y, OFF, z, OFF, x, OFF, w, OFF, b, OFF, m, n, k, Act.TANH, 0);
    double[] dx = doubles(m * k, 5, -1, 1);
    double[] dx0 = dx.clone();
    K.denseBackwardInput(dx, OFF, dy, OFF, w, OFF, null, 0, m, n, k, true, Act.NONE, 0);
    double[] dw = new double[n * k + OFF];
    double[] db = new double[n + OFF];
    K.denseBackwardWeight(dw, OFF, db, OFF, dy, OFF, x, OFF, m, n, k, false);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = b[OFF + j];
        for (int p = 0; p < k; p++) s += x[OFF + i * k + p] * w[OFF + j * k + p];
        assertEquals(s, z[OFF + i * n + j], 1e-14);
        assertEquals(Math.tanh(s), y[OFF + i * n + j], 1e-14);
      }
      for (int p = 0; p < k; p++) {
        double s = dx0[OFF + i * k + p];
        for (int j = 0; j < n; j++) s += dy[OFF + i * n + j] * w[OFF + j * k + p];
        assertEquals(s, dx[OFF + i * k + p], 1e-14);
      }
    }
    for (int j = 0; j < n; j++) {
      double sb = 0;
      for (int i = 0; i < m; i++) sb += dy[OFF + i * n + j];
      assertEquals(sb, db[OFF + j], 1e-14);
      for (int p = 0; p < k; p++) {
        double s = 0;
        for (int i = 0; i < m; i++) s += dy[OFF + i * n + j] * x[OFF + i * k + p];
        assertEquals(s, dw[OFF + j * k + p], 1e-14);
      }
    }
  }

  /** Compares analytic[OFF..OFF+len) with central differences of f around x. */
  static void checkGradient(String what, double[] x, double[] analytic, int len, ToDoubleFunction<double[]> f) {
    for (int i = OFF; i < OFF + len; i++) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[i] += H;
      minus[i] -= H;
      double numeric = (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (2 * H);
      double a = analytic[i];
      double rel = Math.abs(a - numeric) / Math.max(1e-2, Math.max(Math.abs(a), Math.abs(numeric)));
      if (rel > 1e-6) fail(what + ": element " + (i - OFF) + " analytic " + a + " numeric " + numeric + " rel " + rel);
    }
  }
}
