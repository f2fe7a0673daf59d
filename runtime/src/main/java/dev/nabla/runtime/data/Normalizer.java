package dev.nabla.runtime.data;

import dev.nabla.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Per-feature standardisation {@code (x - mean) / std}, with the statistics computed from a
 * training dataset only ({@link #fit}) and then applied unchanged to training, dev and test data
 * and at inference.
 *
 * <p>The standard deviation is the population one (divide by n). A feature whose standard
 * deviation is below {@link #MIN_STD} (for example a constant pixel) gets std 1: it is only
 * centred, never blown up.
 *
 * <p>The statistics are saved next to the model as their own small safetensors file
 * ({@link #save}: F32 tensors {@value #MEAN} and {@value #STD}, shape [featureSize], metadata
 * {@code "kind": "normalizer"}), e.g. {@code model.safetensors} and
 * {@code model.normalizer.safetensors}. A separate file keeps {@link dev.nabla.runtime.io.Weights}
 * loading strict (it rejects unexpected tensors) and PyTorch-compatible.
 */
public final class Normalizer {
  /** Tensor name of the means in a saved file. */
  public static final String MEAN = "normalizer.mean";
  /** Tensor name of the standard deviations in a saved file. */
  public static final String STD = "normalizer.std";
  /** Standard deviations below this are replaced by 1 (the feature is only centred). */
  public static final double MIN_STD = 1e-8;

  private final float[] mean;
  private final float[] std;
  private final float[] invStd;

  private Normalizer(float[] mean, float[] std) {
    if (mean.length != std.length || mean.length == 0) {
      throw new IllegalArgumentException("mean and std must have the same, positive length; got " + mean.length + " and " + std.length);
    }
    this.mean = mean;
    this.std = std;
    this.invStd = new float[std.length];
    for (int j = 0; j < std.length; j++) {
      if (!(std[j] > 0) || !Float.isFinite(std[j]) || !Float.isFinite(mean[j])) {
        throw new IllegalArgumentException("feature " + j + ": mean " + mean[j] + " / std " + std[j] + " is not usable");
      }
      invStd[j] = 1f / std[j];
    }
  }

  /** The statistics of {@code train}'s features, computed in double precision. */
  public static Normalizer fit(Dataset train) {
    int n = train.size();
    if (n == 0) throw new IllegalArgumentException("cannot compute statistics of an empty dataset");
    int f = train.featureSize();
    float[] x = train.features();
    double[] sum = new double[f];
    for (int i = 0; i < n; i++) for (int j = 0; j < f; j++) sum[j] += x[i * f + j];
    double[] m = new double[f];
    for (int j = 0; j < f; j++) m[j] = sum[j] / n;
    double[] sq = new double[f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        double d = x[i * f + j] - m[j];
        sq[j] += d * d;
      }
    }
    float[] mean = new float[f];
    float[] std = new float[f];
    for (int j = 0; j < f; j++) {
      mean[j] = (float) m[j];
      double s = Math.sqrt(sq[j] / n);
      std[j] = s < MIN_STD ? 1f : (float) s;
    }
    return new Normalizer(mean, std);
  }

  /** A normaliser with given statistics (copied); std values must be positive. */
  public static Normalizer of(float[] mean, float[] std) {
    return new Normalizer(mean.clone(), std.clone());
  }

  public int featureSize() {
    return mean.length;
  }

  /** A copy of the per-feature means. */
  public float[] mean() {
    return mean.clone();
  }

  /** A copy of the per-feature standard deviations (1 for a constant feature). */
  public float[] std() {
    return std.clone();
  }

  /** A new dataset with normalised features and the same labels or targets. */
  public Dataset apply(Dataset data) {
    checkSize(data.featureSize());
    float[] x = data.features();
    apply(x, data.size());
    return data.withFeatures(x);
  }

  /** Normalises {@code batch} rows of {@code x} in place; allocates nothing. */
  public void apply(float[] x, int batch) {
    int f = mean.length;
    if (batch < 0 || (long) batch * f > x.length) {
      throw new IllegalArgumentException("x has " + x.length + " floats, " + batch + " rows need " + (long) batch * f);
    }
    for (int i = 0; i < batch; i++) {
      int o = i * f;
      for (int j = 0; j < f; j++) x[o + j] = (x[o + j] - mean[j]) * invStd[j];
    }
  }

  /** Writes the statistics as a safetensors file (atomically). */
  public void save(Path path) throws IOException {
    long[] shape = {mean.length};
    Safetensors.write(path, Map.of("kind", "normalizer"), List.of(
        Safetensors.Tensor.ofFloats(MEAN, shape, mean, 0),
        Safetensors.Tensor.ofFloats(STD, shape, std, 0)));
  }

  /** Reads statistics written by {@link #save}. */
  public static Normalizer load(Path path) throws IOException {
    Safetensors.Contents c = Safetensors.read(path);
    Safetensors.Tensor m = c.tensors().get(MEAN);
    Safetensors.Tensor s = c.tensors().get(STD);
    if (m == null || s == null) throw new IOException(path + " has no " + MEAN + " and " + STD + " tensors");
    if (m.shape().length != 1 || s.shape().length != 1) throw new IOException(path + ": normaliser tensors must be 1-D");
    try {
      return new Normalizer(m.toFloats(), s.toFloats());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private void checkSize(int featureSize) {
    if (featureSize != mean.length) {
      throw new IllegalArgumentException("data has " + featureSize + " features, the normaliser " + mean.length);
    }
  }
}
