package dev.nabla.runtime;

import java.util.SplittableRandom;

/**
 * Gradient checks of generated models: the double variant's backward against fourth-order central
 * differences of its own loss, and the float (SIMD) variant's gradients against the double one.
 * Used by the test suites; public so that apps adding their own models can run the same checks.
 */
public final class GradientCheck {
  /** Step of the finite differences: with a fourth-order stencil the truncation error is ~h⁴. */
  public static final double H = 1e-4;
  /**
   * Gradients smaller than this are compared absolutely: at 0 (a dead ReLU) relative error has no
   * meaning, and the differences' round-off is about 1e-12 (so a 1e-6 tolerance means 1e-11 here).
   */
  public static final double FLOOR = 1e-5;

  private GradientCheck() {}

  /** A fixed random batch: inputs in [-1, 1), labels or targets. */
  public record Batch(double[] x, float[] xf, int[] labels, double[] targets, float[] targetsf, int size) {
    public static Batch random(int batch, int inputs, int outputs, boolean classifier, long seed) {
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

    /**
     * A random batch of token sequences: {@code vocabs[i]} ids for each of the {@code lengths[i]}
     * positions of input i (inputs one after another per example), and {@code labelsPerExample}
     * labels in [0, classes) per example (next-token targets).
     */
    public static Batch tokens(int batch, int[] lengths, int[] vocabs, int labelsPerExample, int classes, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      int per = 0;
      for (int len : lengths) per += len;
      double[] x = new double[batch * per];
      float[] xf = new float[x.length];
      for (int b = 0, i = 0; b < batch; b++) {
        for (int in = 0; in < lengths.length; in++) {
          for (int t = 0; t < lengths[in]; t++, i++) xf[i] = (float) (x[i] = r.nextInt(vocabs[in]));
        }
      }
      int[] labels = new int[batch * labelsPerExample];
      for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(classes);
      return new Batch(x, xf, labels, new double[0], new float[0], batch);
    }

    public double loss(NetworkF64 m) {
      return m.classifier() ? m.computeGradients(x, labels, size) : m.computeGradients(x, targets, size);
    }

    public float loss(Network m) {
      return m.classifier() ? m.computeGradients(xf, labels, size) : m.computeGradients(xf, targetsf, size);
    }
  }

  /** Largest relative error between the analytic gradient and central differences, over every parameter. */
  public static double maxRelativeError(NetworkF64 m, Batch batch) {
    return maxRelativeError(m, batch, Integer.MAX_VALUE, 0);
  }

  /**
   * The same over at most {@code perTensor} parameters of each tensor, chosen at random from
   * {@code seed} (all of a tensor that small), for models too large to perturb every weight.
   */
  public static double maxRelativeError(NetworkF64 m, Batch batch, int perTensor, long seed) {
    batch.loss(m);
    double[] analytic = m.gradients().clone();
    double[] p = m.parameters();
    double worst = 0;
    SplittableRandom pick = new SplittableRandom(seed);
    for (ParameterSpec t : m.parameterSpecs()) {
      int n = t.size();
      for (int j = 0; j < Math.min(n, perTensor); j++) {
        int i = t.offset() + (n <= perTensor ? j : pick.nextInt(n));
        worst = Math.max(worst, relativeError(m, batch, p, i, analytic[i]));
      }
    }
    return worst;
  }

  private static double relativeError(NetworkF64 m, Batch batch, double[] p, int i, double analytic) {
    double keep = p[i];
    double[] f = new double[4];
    double[] offsets = {2 * H, H, -H, -2 * H};
    for (int k = 0; k < 4; k++) {
      p[i] = keep + offsets[k];
      f[k] = batch.loss(m);
    }
    p[i] = keep;
    double numeric = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * H);
    return Math.abs(numeric - analytic) / Math.max(FLOOR, Math.max(Math.abs(numeric), Math.abs(analytic)));
  }

  /** max |a − b| / max |b| over two arrays: the float result's error relative to the double one's scale. */
  public static double normRelativeError(float[] a, double[] b) {
    double diff = 0, scale = 0;
    for (int i = 0; i < b.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return diff / Math.max(scale, 1e-30);
  }

  /** Copies the float model's weights into the double model (they start equal from one seed; this makes sure). */
  public static void copyWeights(Network from, NetworkF64 to) {
    float[] src = from.parameters();
    double[] dst = to.parameters();
    for (int i = 0; i < src.length; i++) dst[i] = src[i];
  }
}
