package dev.nabla.samples;

import dev.nabla.runtime.Rng;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Trains {@link DigitReverser}, an encoder-decoder with cross-attention, to reverse strings of 8
 * digits, and measures exact-match accuracy with greedy decoding on held-out strings.
 *
 * <p>Data is synthetic and unlimited: every training batch draws fresh random strings, skipping
 * the {@value #HELD_OUT} held-out strings (drawn first, from their own seed), so no evaluated
 * string is ever trained on. In training the decoder reads the start token and the true reversed
 * digits (teacher forcing); at evaluation it reads its own predictions, one position at a time.
 *
 * <pre>
 * usage: ReverseDigits [--steps N] [--seed S]
 *   --steps N   training steps of {@value #BATCH} strings (default {@value #STEPS})
 *   --seed S    weight and data seed (default 42); the held-out strings are always the same
 * </pre>
 */
public final class ReverseDigits {
  public static final int STEPS = 500;
  public static final int BATCH = 64;
  public static final int HELD_OUT = 2000;
  static final long HELD_OUT_SEED = 20261121L;
  private static final int T = DigitReverser.LENGTH;
  private static final int INPUT = 2 * T;

  /** Exact-match and per-digit accuracy of greedy decoding on the held-out strings. */
  public record Result(int steps, double seconds, float lastLoss, double exactMatch, double digitAccuracy,
                       String example) {}

  private ReverseDigits() {}

  public static void main(String[] args) {
    String[] argv = SampleArgs.words(args);
    int steps = STEPS;
    long seed = 42;
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--steps" -> steps = Integer.parseInt(SampleArgs.value(argv, ++i));
        case "--seed" -> seed = Long.parseLong(SampleArgs.value(argv, ++i));
        default -> throw new IllegalArgumentException("unknown argument " + argv[i]
            + "; usage: ReverseDigits [--steps N] [--seed S]");
      }
    }
    Result r = run(steps, seed, true);
    System.out.printf(Locale.ROOT, "trained %d steps of %d strings in %.1f s, last loss %.4f%n", r.steps(), BATCH,
        r.seconds(), r.lastLoss());
    System.out.printf(Locale.ROOT, "held-out exact match: %.4f (%d strings), digit accuracy %.4f%n", r.exactMatch(),
        HELD_OUT, r.digitAccuracy());
    System.out.println("example: " + r.example());
  }

  public static Result run(int steps, long seed, boolean progress) {
    int[][] heldOut = new int[HELD_OUT][];
    Set<Long> held = new HashSet<>();
    Rng rng = new Rng(HELD_OUT_SEED);
    for (int i = 0; i < HELD_OUT; i++) {
      heldOut[i] = digits(rng);
      held.add(key(heldOut[i]));
    }
    DigitReverserModel net = DigitReverserModel.create(seed);
    float[] x = new float[BATCH * INPUT];
    int[] labels = new int[BATCH * T];
    Rng data = new Rng(seed ^ 0x5eed);
    long start = System.nanoTime();
    float loss = Float.NaN;
    for (int step = 1; step <= steps; step++) {
      for (int b = 0; b < BATCH; b++) {
        int[] s;
        do {
          s = digits(data);
        } while (held.contains(key(s)));
        example(s, x, b * INPUT, labels, b * T);
      }
      loss = net.trainStep(x, labels, BATCH);
      if (progress && (step % 250 == 0 || step == steps)) {
        System.out.printf(Locale.ROOT, "step %d/%d  loss %.4f  %.1f s%n", step, steps, loss,
            (System.nanoTime() - start) / 1e9);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    int exact = 0, digitsRight = 0;
    String shown = null;
    int chunk = 250;
    float[] in = new float[chunk * INPUT];
    float[] probs = new float[chunk * T * 11];
    for (int from = 0; from < HELD_OUT; from += chunk) {
      int n = Math.min(chunk, HELD_OUT - from);
      int[][] predicted = greedy(net, heldOut, from, n, in, probs);
      for (int i = 0; i < n; i++) {
        int[] s = heldOut[from + i];
        boolean all = true;
        for (int t = 0; t < T; t++) {
          boolean ok = predicted[i][t] == s[T - 1 - t];
          all &= ok;
          if (ok) digitsRight++;
        }
        if (all) exact++;
        if (shown == null) shown = text(s) + " -> " + text(predicted[i]);
      }
    }
    return new Result(steps, seconds, loss, exact / (double) HELD_OUT, digitsRight / (double) (HELD_OUT * T), shown);
  }

  /**
   * Greedy decoding of strings [from, from + n): the decoder input starts as the start token, and
   * after each pass the prediction at position t becomes the decoder's input at t + 1. The decoder
   * is causal, so later (still empty) positions do not affect earlier predictions.
   */
  static int[][] greedy(DigitReverserModel net, int[][] strings, int from, int n, float[] in, float[] probs) {
    int[][] out = new int[n][T];
    java.util.Arrays.fill(in, 0);
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < T; t++) in[i * INPUT + t] = strings[from + i][t];
      in[i * INPUT + T] = DigitReverser.START;
    }
    for (int t = 0; t < T; t++) {
      net.predict(in, n, probs);
      for (int i = 0; i < n; i++) {
        int best = 0;
        int row = (i * T + t) * 11;
        for (int v = 1; v < 11; v++) if (probs[row + v] > probs[row + best]) best = v;
        out[i][t] = best;
        if (t + 1 < T) in[i * INPUT + T + t + 1] = best;
      }
    }
    return out;
  }

  /** One training example: source digits, decoder input (start, reversed digits but the last), labels (reversed). */
  static void example(int[] s, float[] x, int xOff, int[] labels, int labelsOff) {
    for (int t = 0; t < T; t++) {
      x[xOff + t] = s[t];
      int reversed = s[T - 1 - t];
      labels[labelsOff + t] = reversed;
      x[xOff + T + t] = t == 0 ? DigitReverser.START : s[T - t];
    }
  }

  private static int[] digits(Rng rng) {
    int[] s = new int[T];
    for (int t = 0; t < T; t++) s[t] = rng.nextInt(10);
    return s;
  }

  private static long key(int[] s) {
    long k = 0;
    for (int d : s) k = k * 10 + d;
    return k;
  }

  private static String text(int[] s) {
    StringBuilder b = new StringBuilder();
    for (int d : s) b.append(d);
    return b.toString();
  }
}
