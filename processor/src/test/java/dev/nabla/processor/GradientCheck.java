package dev.nabla.processor;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import java.util.SplittableRandom;

/**
 * Gradient checks of generated models: the double variant's backward against fourth-order central
 * differences of its own loss, and the float (SIMD) variant's gradients against the double one.
 */
final class GradientCheck {
  /** Step of the finite differences: with a fourth-order stencil the truncation error is ~h⁴. */
  static final double H = 1e-4;
  /** Gradients smaller than this are compared absolutely (relative error has no meaning at 0). */
  static final double FLOOR = 1e-6;

  private GradientCheck() {}

  /** A fixed random batch: inputs in [-1, 1), labels or targets. */
  record Batch(double[] x, float[] xf, int[] labels, double[] targets, float[] targetsf, int size) {
    static Batch random(int batch, int inputs, int outputs, boolean classifier, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      double[] x = new double[batch * inputs];
      float[] xf = new float[x.length];
      for (int i = 0; i < x.length; i++) xf[i] = (float) (x[i] = r.nextDouble(-1, 1));
      int[] labels = new int[batch];
      for (int i = 0; i < batch; i++) labels[i] = r.nextInt(outputs);
      double[] t = new double[batch * outputs];
      float[] tf = new float[t.length];
      for (int i = 0; i < t.length; i++) tf[i] = (float) (t[i] = r.nextDouble(0.1, 0.9));
      return new Batch(x, xf, labels, t, tf, batch);
    }

    double loss(NetworkF64 m) {
      return m.classifier() ? m.computeGradients(x, labels, size) : m.computeGradients(x, targets, size);
    }

    float loss(Network m) {
      return m.classifier() ? m.computeGradients(xf, labels, size) : m.computeGradients(xf, targetsf, size);
    }
  }

  /** Largest relative error between the analytic gradient and central differences, over every parameter. */
  static double maxRelativeError(NetworkF64 m, Batch batch) {
    batch.loss(m);
    double[] analytic = m.gradients().clone();
    double[] p = m.parameters();
    double worst = 0;
    for (int i = 0; i < p.length; i++) {
      double keep = p[i];
      double[] f = new double[4];
      double[] offsets = {2 * H, H, -H, -2 * H};
      for (int k = 0; k < 4; k++) {
        p[i] = keep + offsets[k];
        f[k] = batch.loss(m);
      }
      p[i] = keep;
      double numeric = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * H);
      double err = Math.abs(numeric - analytic[i]) / Math.max(FLOOR, Math.max(Math.abs(numeric), Math.abs(analytic[i])));
      worst = Math.max(worst, err);
    }
    return worst;
  }

  /** max |a − b| / max |b| over two arrays: the float result's error relative to the double one's scale. */
  static double normRelativeError(float[] a, double[] b) {
    double diff = 0, scale = 0;
    for (int i = 0; i < b.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / Math.max(scale, 1e-30);
  }

  /** Copies the float model's weights into the double model (they start equal from one seed; this makes sure). */
  static void copyWeights(Network from, NetworkF64 to) {
    float[] src = from.parameters();
    double[] dst = to.parameters();
    for (int i = 0; i < src.length; i++) dst[i] = src[i];
  }
}
