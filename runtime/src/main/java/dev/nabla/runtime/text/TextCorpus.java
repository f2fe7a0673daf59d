package dev.nabla.runtime.text;

import dev.nabla.runtime.Rng;
import dev.nabla.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Helpers that turn a list of text records (fortunes, lines, documents) into language-model
 * training data: {@link #join} them into one text, {@link #split} them into training and held-out
 * records, draw random training windows ({@link RandomWindows}), walk the held-out text in
 * consecutive windows ({@link SequentialWindows}) and compute the unigram baseline
 * ({@link #unigramCrossEntropy}).
 *
 * <p>Token inputs go to generated models as floats: a window of {@code T} tokens is {@code T}
 * floats holding the token ids (exact up to 2<sup>24</sup>), and its labels are the {@code T}
 * following tokens, the next token at each position.
 */
public final class TextCorpus {
  private TextCorpus() {}

  /** The records joined by {@code '\n'} (no newline after the last). */
  public static String join(List<String> records) {
    return String.join("\n", records);
  }

  /** Training and held-out (development) records. */
  public record Split(List<String> train, List<String> dev) {
    public Split {
      train = List.copyOf(train);
      dev = List.copyOf(dev);
    }
  }

  /**
   * Holds out {@code floor(devFraction × records.size())} records chosen at random by
   * {@link Dataset#shuffledOrder(int, long) Dataset.shuffledOrder(size, seed)} (its first ones),
   * keeping the rest for training. Both parts keep the records' original order. The same records
   * and seed give the same split.
   */
  public static Split split(List<String> records, double devFraction, long seed) {
    if (!(devFraction >= 0 && devFraction <= 1)) {
      throw new IllegalArgumentException("devFraction must be in [0, 1], got " + devFraction);
    }
    int n = records.size();
    int nDev = (int) Math.floor(devFraction * n);
    int[] order = Dataset.shuffledOrder(n, seed);
    boolean[] held = new boolean[n];
    for (int i = 0; i < nDev; i++) held[order[i]] = true;
    List<String> train = new ArrayList<>(n - nDev);
    List<String> dev = new ArrayList<>(nDev);
    for (int i = 0; i < n; i++) (held[i] ? dev : train).add(records.get(i));
    return new Split(train, dev);
  }

  /**
   * Copies the window of {@code context + 1} tokens starting at {@code ids[start]} into row
   * {@code row} of a batch: {@code x[row·T + j] = ids[start + j]} and
   * {@code labels[row·T + j] = ids[start + j + 1]} for {@code j < T}.
   */
  public static void window(int[] ids, int start, int context, float[] x, int[] labels, int row) {
    if (start < 0 || start + context >= ids.length) {
      throw new IllegalArgumentException("a window of " + (context + 1) + " tokens at " + start
          + " does not fit in " + ids.length + " tokens");
    }
    int o = row * context;
    for (int j = 0; j < context; j++) {
      x[o + j] = ids[start + j];
      labels[o + j] = ids[start + j + 1];
    }
  }

  /**
   * Random training windows: each row of a batch is a window of {@code context + 1} consecutive
   * tokens starting at a position drawn uniformly from {@code [0, ids.length − context − 1]} by an
   * {@link Rng} seeded at construction (windows may overlap and repeat). The ids are shared, not
   * copied. {@link #next} allocates nothing; {@link #state()} and {@link #restore} let a
   * checkpoint resume the same sequence of batches.
   */
  public static final class RandomWindows {
    private final int[] ids;
    private final int context;
    private final Rng rng;

    /** Windows of {@code context} inputs over {@code ids}, which must hold at least {@code context + 1} tokens. */
    public RandomWindows(int[] ids, int context, long seed) {
      checkContext(ids, context);
      this.ids = ids;
      this.context = context;
      this.rng = new Rng(seed);
    }

    public int context() {
      return context;
    }

    /**
     * Fills {@code batch} random windows into {@code x} ({@code batch × context} floats, token ids)
     * and {@code labels} ({@code batch × context} next tokens). Allocates nothing.
     */
    public void next(int batch, float[] x, int[] labels) {
      checkBatch(batch, context, x, labels);
      int starts = ids.length - context;
      for (int b = 0; b < batch; b++) window(ids, rng.nextInt(starts), context, x, labels, b);
    }

    /** The generator's state, for a checkpoint. */
    public long[] state() {
      return rng.state();
    }

    /** Restores a {@link #state()}: the following batches are those that followed it. */
    public void restore(long[] state) {
      rng.restore(state);
    }
  }

  /**
   * The whole of a (held-out) text in consecutive windows, for evaluation: window {@code w} predicts
   * tokens {@code wT + 1 .. wT + T} from the {@code T} tokens before each, so every token after the
   * first is predicted exactly once over the {@link #windows()} windows. All windows are full: if
   * the last one would run past the end, it starts earlier, at {@code ids.length − T − 1}, and its
   * first {@link #scoredFrom} positions repeat predictions already made, which an evaluation must
   * skip. Nothing is allocated after construction.
   *
   * <pre>{@code
   * var dev = new TextCorpus.SequentialWindows(devIds, T);
   * for (int rows; (rows = dev.next(B, x, labels)) > 0; ) {
   *   model.predict(x, rows, probabilities);
   *   for (int r = 0; r < rows; r++)
   *     for (int j = dev.scoredFrom(r); j < T; j++) nll -= Math.log(probabilities[...]);
   * }
   * double devLoss = nll / dev.scoredTokens();
   * }</pre>
   */
  public static final class SequentialWindows {
    private final int[] ids;
    private final int context;
    private final int windows;
    private int nextWindow;
    private int batchStart;
    private int batchRows;

    /** Windows of {@code context} inputs over {@code ids}, which must hold at least {@code context + 1} tokens. */
    public SequentialWindows(int[] ids, int context) {
      checkContext(ids, context);
      this.ids = ids;
      this.context = context;
      this.windows = (int) Math.ceilDiv((long) ids.length - 1, context);
    }

    /** How many windows cover the text: {@code ⌈(ids.length − 1) / T⌉}. */
    public int windows() {
      return windows;
    }

    /** How many predictions the windows score: {@code ids.length − 1}. */
    public long scoredTokens() {
      return ids.length - 1L;
    }

    /** The first token index of window {@code w}. */
    public int start(int w) {
      checkWindow(w);
      return Math.min(w * context, ids.length - 1 - context);
    }

    /**
     * Fills window {@code w} into row {@code row} of {@code x} and {@code labels}; returns the first
     * position of the row whose prediction is new (0 except possibly for the last window).
     */
    public int fill(int w, float[] x, int[] labels, int row) {
      int start = start(w);
      window(ids, start, context, x, labels, row);
      return w * context - start;
    }

    /**
     * Fills the next {@code min(batch, remaining)} windows into rows {@code 0, 1, ...}; returns how
     * many (0 once every window was given; {@link #reset()} starts again).
     */
    public int next(int batch, float[] x, int[] labels) {
      checkBatch(batch, context, x, labels);
      batchStart = nextWindow;
      batchRows = Math.min(batch, windows - nextWindow);
      for (int r = 0; r < batchRows; r++) fill(batchStart + r, x, labels, r);
      nextWindow += batchRows;
      return batchRows;
    }

    /** For row {@code row} of the last {@link #next} batch, the first position to score. */
    public int scoredFrom(int row) {
      if (row < 0 || row >= batchRows) {
        throw new IllegalArgumentException("row " + row + " is outside the last batch of " + batchRows);
      }
      int w = batchStart + row;
      return w * context - start(w);
    }

    /** Starts again from the first window. */
    public void reset() {
      nextWindow = 0;
      batchRows = 0;
    }

    private void checkWindow(int w) {
      if (w < 0 || w >= windows) throw new IllegalArgumentException("window " + w + " is outside [0, " + windows + ")");
    }
  }

  /**
   * The cross-entropy, in nats per token, of {@code devIds} under the unigram distribution of
   * {@code trainIds} with add-one (Laplace) smoothing: {@code p(v) = (count(v) + 1) / (N + V)},
   * averaged over every token of {@code devIds}. The baseline a language model has to beat; a
   * model that ignores context does no better. Ids must be in {@code [0, vocab)}.
   */
  public static double unigramCrossEntropy(int[] trainIds, int[] devIds, int vocab) {
    if (vocab <= 0) throw new IllegalArgumentException("vocab must be positive, got " + vocab);
    if (devIds.length == 0) throw new IllegalArgumentException("devIds is empty");
    long[] counts = new long[vocab];
    for (int i = 0; i < trainIds.length; i++) counts[checkId(trainIds[i], i, vocab, "trainIds")]++;
    long[] devCounts = new long[vocab];
    for (int i = 0; i < devIds.length; i++) devCounts[checkId(devIds[i], i, vocab, "devIds")]++;
    double logTotal = Math.log((double) trainIds.length + vocab);
    double nll = 0;
    for (int v = 0; v < vocab; v++) {
      if (devCounts[v] > 0) nll += devCounts[v] * (logTotal - Math.log(counts[v] + 1.0));
    }
    return nll / devIds.length;
  }

  private static int checkId(int id, int i, int vocab, String what) {
    if (id < 0 || id >= vocab) {
      throw new IllegalArgumentException(what + "[" + i + "] = " + id + " is outside [0, " + vocab + ")");
    }
    return id;
  }

  private static void checkContext(int[] ids, int context) {
    if (context <= 0) throw new IllegalArgumentException("context must be positive, got " + context);
    if (ids.length < context + 1L) {
      throw new IllegalArgumentException("a window of context " + context + " needs " + (context + 1L)
          + " tokens, the text has " + ids.length);
    }
  }

  private static void checkBatch(int batch, int context, float[] x, int[] labels) {
    if (batch <= 0) throw new IllegalArgumentException("batch must be positive, got " + batch);
    long need = (long) batch * context;
    if (x.length < need || labels.length < need) {
      throw new IllegalArgumentException("a batch of " + batch + " windows of " + context + " needs " + need
          + " inputs and labels, got " + x.length + " and " + labels.length);
    }
  }
}
