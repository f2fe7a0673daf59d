package dev.nabla.runtime.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * An immutable table of examples held in memory: {@link #size()} rows of {@link #featureSize()}
 * floats (row-major), with either an int class label per row ({@link #isClassification()}) or
 * {@link #targetSize()} float targets per row.
 *
 * <p>The factories copy nothing: the caller hands its arrays over and must not change them
 * afterwards. Every derived dataset ({@link #subset}, {@link #select}, {@link #shuffled}) owns
 * fresh arrays. Raw data is exposed only as copies ({@link #features()}, {@link #labels()},
 * {@link #targets()}) or row by row ({@link #row}, {@link #label}); the fit loop reads batches
 * through {@link #copyBatch}, which allocates nothing.
 */
public final class Dataset {
  private final float[] x;
  private final int featureSize;
  private final int[] labels; // null for regression
  private final int classes;
  private final float[] y; // null for classification
  private final int targetSize;
  private final int size;

  private Dataset(float[] x, int featureSize, int[] labels, int classes, float[] y, int targetSize, int size) {
    this.x = x;
    this.featureSize = featureSize;
    this.labels = labels;
    this.classes = classes;
    this.y = y;
    this.targetSize = targetSize;
    this.size = size;
  }

  /** A classification dataset: {@code labels.length} rows, each label in {@code [0, classes)}. */
  public static Dataset ofLabels(float[] x, int featureSize, int[] labels, int classes) {
    if (x == null || labels == null) throw new IllegalArgumentException("features and labels must not be null");
    if (featureSize <= 0) throw new IllegalArgumentException("featureSize must be positive, got " + featureSize);
    if (classes <= 0) throw new IllegalArgumentException("classes must be positive, got " + classes);
    int n = labels.length;
    if ((long) n * featureSize != x.length) {
      throw new IllegalArgumentException("features have " + x.length + " floats but " + n + " labels × featureSize "
          + featureSize + " = " + (long) n * featureSize);
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is outside [0, " + classes + ")");
      }
    }
    return new Dataset(x, featureSize, labels, classes, null, 0, n);
  }

  /** A regression dataset: {@code y.length / targetSize} rows of {@code targetSize} targets. */
  public static Dataset ofTargets(float[] x, int featureSize, float[] y, int targetSize) {
    if (x == null || y == null) throw new IllegalArgumentException("features and targets must not be null");
    if (featureSize <= 0) throw new IllegalArgumentException("featureSize must be positive, got " + featureSize);
    if (targetSize <= 0) throw new IllegalArgumentException("targetSize must be positive, got " + targetSize);
    if (x.length % featureSize != 0) {
      throw new IllegalArgumentException("features have " + x.length + " floats, not a multiple of featureSize " + featureSize);
    }
    int n = x.length / featureSize;
    if ((long) n * targetSize != y.length) {
      throw new IllegalArgumentException("targets have " + y.length + " floats but " + n + " rows × targetSize "
          + targetSize + " = " + (long) n * targetSize);
    }
    return new Dataset(x, featureSize, null, 0, y, targetSize, n);
  }

  public int size() {
    return size;
  }

  public int featureSize() {
    return featureSize;
  }

  public boolean isClassification() {
    return labels != null;
  }

  /** Number of classes; 0 for a regression dataset. */
  public int classes() {
    return classes;
  }

  /** Targets per row; 0 for a classification dataset. */
  public int targetSize() {
    return targetSize;
  }

  /** Outputs a matching network must have: classes or targetSize. */
  public int outputSize() {
    return isClassification() ? classes : targetSize;
  }

  /** A copy of the features, row-major. */
  public float[] features() {
    return x.clone();
  }

  /** A copy of the labels; throws for a regression dataset. */
  public int[] labels() {
    requireClassification();
    return labels.clone();
  }

  /** A copy of the targets, row-major; throws for a classification dataset. */
  public float[] targets() {
    requireRegression();
    return y.clone();
  }

  /** A copy of row i's features. */
  public float[] row(int i) {
    Objects.checkIndex(i, size);
    return Arrays.copyOfRange(x, i * featureSize, (i + 1) * featureSize);
  }

  /** Row i's label; throws for a regression dataset. */
  public int label(int i) {
    requireClassification();
    return labels[Objects.checkIndex(i, size)];
  }

  /** Rows {@code [from, to)}. */
  public Dataset subset(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IllegalArgumentException("subset [" + from + ", " + to + ") is outside [0, " + size + "]");
    }
    int[] rows = new int[to - from];
    for (int i = 0; i < rows.length; i++) rows[i] = from + i;
    return select(rows);
  }

  /** The given rows in the given order (repeats allowed). */
  public Dataset select(int[] rows) {
    int n = rows.length;
    for (int i = 0; i < n; i++) {
      if (rows[i] < 0 || rows[i] >= size) {
        throw new IllegalArgumentException("row index " + rows[i] + " at position " + i + " is outside [0, " + size + ")");
      }
    }
    float[] nx = new float[n * featureSize];
    if (isClassification()) {
      int[] nl = new int[n];
      copyBatch(rows, 0, n, nx, nl);
      return new Dataset(nx, featureSize, nl, classes, null, 0, n);
    }
    float[] ny = new float[n * targetSize];
    copyBatch(rows, 0, n, nx, ny);
    return new Dataset(nx, featureSize, null, 0, ny, targetSize, n);
  }

  /** All rows in the order {@link #shuffledOrder(int, long)} gives for this size and seed. */
  public Dataset shuffled(long seed) {
    return select(shuffledOrder(size, seed));
  }

  /**
   * The permutation {@code 0..n-1} shuffled by Fisher-Yates (from the last position down, swapping
   * position i with {@code rng.nextInt(i + 1)}) driven by {@code new Random(seed)}. Its
   * algorithm is specified by the JDK, so the order is the same on every JVM and release.
   */
  public static int[] shuffledOrder(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    shuffle(order, new Random(seed));
    return order;
  }

  /** Fisher-Yates shuffle of order in place, as in {@link #shuffledOrder}. */
  public static void shuffle(int[] order, Random rng) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** Two parts of a dataset. */
  public record Parts(Dataset first, Dataset rest) {}

  /** The first {@code firstCount} rows and the rest, in order. */
  public Parts split(int firstCount) {
    if (firstCount < 0 || firstCount > size) {
      throw new IllegalArgumentException("split count " + firstCount + " is outside [0, " + size + "]");
    }
    return new Parts(subset(0, firstCount), subset(firstCount, size));
  }

  /** A training, a development (validation) and a test part of a dataset. */
  public record TrainDevTest(Dataset train, Dataset dev, Dataset test) {}

  /**
   * Shuffles the rows by {@link #shuffledOrder(int, long) shuffledOrder(size(), seed)} and cuts
   * them into three parts: the first {@code floor(trainFraction × size())} rows of that order are
   * the training part, the next {@code floor(devFraction × size())} the development part, and all
   * the remaining rows (at least {@code size() - train - dev}, so rounding never loses a row) the
   * test part. The same seed always gives the same parts. Fractions must be in [0, 1] and sum to at
   * most 1.
   */
  public TrainDevTest split(double trainFraction, double devFraction, long seed) {
    if (!(trainFraction >= 0 && trainFraction <= 1) || !(devFraction >= 0 && devFraction <= 1)
        || trainFraction + devFraction > 1 + 1e-12) {
      throw new IllegalArgumentException("fractions must be in [0, 1] and sum to at most 1, got train "
          + trainFraction + " and dev " + devFraction);
    }
    int nTrain = (int) Math.floor(trainFraction * size);
    int nDev = Math.min((int) Math.floor(devFraction * size), size - nTrain);
    int[] order = shuffledOrder(size, seed);
    return new TrainDevTest(select(Arrays.copyOfRange(order, 0, nTrain)),
        select(Arrays.copyOfRange(order, nTrain, nTrain + nDev)),
        select(Arrays.copyOfRange(order, nTrain + nDev, size)));
  }

  /** The same labels or targets with other features ({@code size() × featureSize()} floats, handed over). */
  public Dataset withFeatures(float[] features) {
    if (features == null || features.length != x.length) {
      throw new IllegalArgumentException("features must have " + x.length + " floats, got "
          + (features == null ? "null" : features.length));
    }
    return new Dataset(features, featureSize, labels, classes, y, targetSize, size);
  }

  /**
   * Copies rows {@code order[start .. start+count)} into xOut (count × featureSize floats) and
   * labelsOut (count ints). Allocates nothing.
   */
  public void copyBatch(int[] order, int start, int count, float[] xOut, int[] labelsOut) {
    requireClassification();
    checkBatch(order, start, count, xOut);
    if (labelsOut.length < count) {
      throw new IllegalArgumentException("labelsOut has " + labelsOut.length + " ints, batch needs " + count);
    }
    for (int i = 0; i < count; i++) {
      int r = order[start + i];
      System.arraycopy(x, r * featureSize, xOut, i * featureSize, featureSize);
      labelsOut[i] = labels[r];
    }
  }

  /**
   * Copies rows {@code order[start .. start+count)} into xOut (count × featureSize floats) and
   * targetsOut (count × targetSize floats). Allocates nothing.
   */
  public void copyBatch(int[] order, int start, int count, float[] xOut, float[] targetsOut) {
    requireRegression();
    checkBatch(order, start, count, xOut);
    if (targetsOut.length < count * targetSize) {
      throw new IllegalArgumentException("targetsOut has " + targetsOut.length + " floats, batch needs " + count * targetSize);
    }
    for (int i = 0; i < count; i++) {
      int r = order[start + i];
      System.arraycopy(x, r * featureSize, xOut, i * featureSize, featureSize);
      System.arraycopy(y, r * targetSize, targetsOut, i * targetSize, targetSize);
    }
  }

  private void checkBatch(int[] order, int start, int count, float[] xOut) {
    if (start < 0 || count < 0 || start + count > order.length) {
      throw new IllegalArgumentException("batch [" + start + ", " + (start + count) + ") is outside the order of length " + order.length);
    }
    if (xOut.length < count * featureSize) {
      throw new IllegalArgumentException("xOut has " + xOut.length + " floats, batch needs " + count * featureSize);
    }
  }

  private void requireClassification() {
    if (labels == null) throw new IllegalStateException("this is a regression dataset (targetSize " + targetSize + "), it has no labels");
  }

  private void requireRegression() {
    if (y == null) throw new IllegalStateException("this is a classification dataset (" + classes + " classes), it has no targets");
  }

  @Override
  public String toString() {
    return "Dataset[" + size + " rows × " + featureSize + " features, "
        + (isClassification() ? classes + " classes]" : targetSize + " targets]");
  }
}
