package dev.nabla.runtime.text;

import dev.nabla.runtime.Rng;

/**
 * Draws token ids from logits with a temperature and a top-k cut, reproducibly: the same seed and
 * the same logits give the same draws on every JVM ({@link Rng} is specified bit for bit). One
 * sampler holds its scratch arrays, sized for the vocabulary when it is made, so
 * {@link #sample} allocates nothing. Not thread-safe.
 *
 * <p>With temperature {@code t > 0} the id {@code i} among the candidates is drawn with probability
 * {@code exp(logits[i] / t) / Σ exp(logits[j] / t)}, computed in double precision after subtracting
 * the largest logit. The candidates are all ids when {@code topK ≤ 0} or {@code topK ≥} the
 * vocabulary size, else the {@code topK} ids with the largest logits (ties at the cut broken by a
 * deterministic selection). Temperature 0 is greedy decoding: the arg max, the lowest id among
 * equal maxima, and no random number is drawn; so is {@code topK == 1}. As the temperature tends to
 * 0 the draws tend to the arg max (the weights of the others underflow to 0).
 */
public final class Sampler {
  private final int vocabularySize;
  private final Rng rng;
  private final double[] weights;
  private final int[] order;

  /** A sampler of ids in {@code [0, vocabularySize)} seeded with {@code seed}. */
  public Sampler(int vocabularySize, long seed) {
    if (vocabularySize <= 0) throw new IllegalArgumentException("vocabularySize must be positive, got " + vocabularySize);
    this.vocabularySize = vocabularySize;
    this.rng = new Rng(seed);
    this.weights = new double[vocabularySize];
    this.order = new int[vocabularySize];
  }

  public int vocabularySize() {
    return vocabularySize;
  }

  /**
   * An id drawn from {@code logits[0, vocabularySize())}. An IllegalArgumentException for a
   * negative, NaN or infinite temperature, or for logits too short; an IllegalStateException
   * naming the position if a logit is NaN (a diverged model) or if all are -Infinity. A logit of
   * +Infinity wins outright (the first one, if several). Allocates nothing.
   */
  public int sample(float[] logits, double temperature, int topK) {
    if (!(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and at least 0, got " + temperature);
    }
    if (logits.length < vocabularySize) {
      throw new IllegalArgumentException("logits have " + logits.length + " values, the vocabulary " + vocabularySize);
    }
    int best = argmax(logits, vocabularySize);
    int k = topK <= 0 || topK >= vocabularySize ? vocabularySize : topK;
    if (temperature == 0 || k == 1) return best;
    double max = logits[best];
    if (max == Double.POSITIVE_INFINITY) return best; // all the mass is on infinite logits: take the first
    if (max == Double.NEGATIVE_INFINITY) throw new IllegalStateException("every logit is -Infinity");
    double sum = 0;
    if (k == vocabularySize) {
      for (int i = 0; i < vocabularySize; i++) {
        double w = Math.exp((logits[i] - max) / temperature);
        weights[i] = w;
        sum += w;
      }
      double u = rng.nextDouble() * sum;
      double cumulative = 0;
      int last = best;
      for (int i = 0; i < vocabularySize; i++) {
        double w = weights[i];
        if (w == 0) continue;
        cumulative += w;
        last = i;
        if (u < cumulative) return i;
      }
      return last; // rounding: u fell at the very top
    }
    for (int i = 0; i < vocabularySize; i++) order[i] = i;
    selectTop(logits, k);
    for (int j = 0; j < k; j++) {
      double w = Math.exp((logits[order[j]] - max) / temperature);
      weights[j] = w;
      sum += w;
    }
    double u = rng.nextDouble() * sum;
    double cumulative = 0;
    int last = best;
    for (int j = 0; j < k; j++) {
      double w = weights[j];
      if (w == 0) continue;
      cumulative += w;
      last = order[j];
      if (u < cumulative) return order[j];
    }
    return last;
  }

  /**
   * The index of the largest of {@code logits[0, n)}, the lowest among equals; an
   * IllegalStateException naming the position of a NaN.
   */
  public static int argmax(float[] logits, int n) {
    int best = 0;
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      float v = logits[i];
      if (Float.isNaN(v)) throw new IllegalStateException("logit " + i + " is NaN");
      if (v > max || i == 0) {
        max = v;
        best = i;
      }
    }
    return best;
  }

  /** Rearranges {@code order[0, vocabularySize)} so that its first k entries are ids of the k largest logits (quickselect). */
  private void selectTop(float[] logits, int k) {
    int lo = 0;
    int hi = vocabularySize - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      float pivot = median(logits[order[lo]], logits[order[mid]], logits[order[hi]]);
      int i = lo;
      int j = hi;
      while (i <= j) { // descending: larger logits to the left
        while (logits[order[i]] > pivot) i++;
        while (logits[order[j]] < pivot) j--;
        if (i <= j) {
          int t = order[i];
          order[i] = order[j];
          order[j] = t;
          i++;
          j--;
        }
      }
      // now [lo, j] >= pivot >= [i, hi], and entries between j and i equal the pivot
      if (k - 1 <= j) hi = j;
      else if (k - 1 >= i) lo = i;
      else return;
    }
  }

  private static float median(float a, float b, float c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
