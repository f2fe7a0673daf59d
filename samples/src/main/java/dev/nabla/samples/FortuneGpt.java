package dev.nabla.samples;

import dev.nabla.runtime.data.Fortunes;
import dev.nabla.runtime.text.CharTokenizer;
import dev.nabla.runtime.text.Generator;
import dev.nabla.runtime.text.TextCorpus;
import dev.nabla.runtime.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Trains {@link CharGpt} on the text of Debian's {@code fortunes} package and samples from it.
 *
 * <p>The records (fetched with apt-get download on first use and cached) are split 90/10 by record
 * with a fixed seed; the dev records are never trained on. Text is reduced to the
 * {@value CharGpt#VOCAB}-character {@link #ALPHABET}: tabs become spaces, an overstrike "x\b" drops
 * the struck character, and any other character outside the alphabet is dropped. Training draws
 * random windows of 64 characters (batch {@value #BATCH}); the dev loss is the mean cross-entropy in
 * nats per character over every non-overlapping 64-character dev window, against the unigram
 * baseline (character frequencies of the training text, add-one smoothed).
 *
 * <pre>
 * usage: FortuneGpt [--steps N] [--seed S] [--save FILE] [--load FILE] [--prompt TEXT] [--tokens N]
 *   --steps N     training steps (default {@value CharGpt#STEPS}); 0 with --load samples only
 *   --save FILE   write the weights (safetensors) and FILE's .vocab.json beside them
 *   --load FILE   start from saved weights
 *   --prompt TEXT the start of the sampled text (default: a new record)
 *   --tokens N    characters to sample at each temperature (default 300)
 * </pre>
 */
public final class FortuneGpt {
  /** '\n' and the printable ASCII characters ' '..'~'. */
  public static final String ALPHABET;
  public static final int BATCH = 32;
  static final long SPLIT_SEED = 20261121L;

  static {
    StringBuilder a = new StringBuilder("\n");
    for (char c = ' '; c <= '~'; c++) a.append(c);
    ALPHABET = a.toString();
  }

  /** What a run measured. */
  public record Result(int trainChars, int devChars, double unigram, double devLoss, int steps, double seconds) {}

  private FortuneGpt() {}

  public static void main(String[] args) throws IOException {
    String[] argv = SampleArgs.words(args);
    int steps = CharGpt.STEPS, tokens = 300;
    long seed = 42;
    Path save = null, load = null;
    String prompt = "";
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--steps" -> steps = Integer.parseInt(SampleArgs.value(argv, ++i));
        case "--seed" -> seed = Long.parseLong(SampleArgs.value(argv, ++i));
        case "--save" -> save = Path.of(SampleArgs.value(argv, ++i));
        case "--load" -> load = Path.of(SampleArgs.value(argv, ++i));
        case "--prompt" -> prompt = SampleArgs.value(argv, ++i).replace('_', ' ');
        case "--tokens" -> tokens = Integer.parseInt(SampleArgs.value(argv, ++i));
        default -> throw new IllegalArgumentException("unknown argument " + argv[i]
            + "; usage: FortuneGpt [--steps N] [--seed S] [--save FILE] [--load FILE] [--prompt TEXT] [--tokens N]");
      }
    }
    CharGptModel net = CharGptModel.create(seed);
    if (load != null) net.load(load);
    Result r = train(net, Fortunes.records(), steps, seed, true);
    System.out.printf(Locale.ROOT, "fortunes: %,d training and %,d dev characters (split seed %d)%n", r.trainChars(),
        r.devChars(), SPLIT_SEED);
    System.out.printf(Locale.ROOT, "trained %d steps of %d×%d characters in %.1f s%n", r.steps(), BATCH,
        CharGpt.CONTEXT, r.seconds());
    System.out.printf(Locale.ROOT, "dev loss: %.3f nats/char (%.3f bits), unigram baseline %.3f nats/char%n",
        r.devLoss(), r.devLoss() / Math.log(2), r.unigram());
    if (save != null) {
      net.save(save);
      tokenizer().save(Tokenizer.vocabularyPath(save));
      System.out.println("saved " + save + " and " + Tokenizer.vocabularyPath(save));
    }
    for (double temperature : new double[] {0.5, 1.0}) {
      System.out.printf(Locale.ROOT, "%n--- sampled at temperature %.1f (seed %d) ---%n", temperature, seed);
      long start = System.nanoTime();
      String text = Generator.generate(net, tokenizer(), prompt, tokens, temperature, 0, seed, System.out::print);
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "%n--- %d characters in %.2f s (%.0f per second, KV cache) ---%n",
          text.length(), s, text.length() / s);
    }
  }

  /** The character tokenizer of {@link #ALPHABET}. */
  public static CharTokenizer tokenizer() {
    return CharTokenizer.of(ALPHABET.codePoints().toArray());
  }

  /** The text reduced to the alphabet (see the class comment). */
  public static String clean(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\b') {
        if (out.length() > 0) out.setLength(out.length() - 1);
      } else if (c == '\t') {
        out.append(' ');
      } else if (c == '\n' || (c >= ' ' && c <= '~')) {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Splits, trains {@code steps} steps, and measures the dev loss and the baseline. */
  public static Result train(CharGptModel net, List<String> records, int steps, long seed, boolean progress) {
    TextCorpus.Split split = TextCorpus.split(records, 0.1, SPLIT_SEED);
    CharTokenizer tok = tokenizer();
    int[] train = tok.encode(clean(TextCorpus.join(split.train())));
    int[] dev = tok.encode(clean(TextCorpus.join(split.dev())));
    double unigram = TextCorpus.unigramCrossEntropy(train, dev, CharGpt.VOCAB);
    int t = CharGpt.CONTEXT;
    float[] x = new float[BATCH * t];
    int[] labels = new int[BATCH * t];
    TextCorpus.RandomWindows windows = new TextCorpus.RandomWindows(train, t, seed);
    long start = System.nanoTime();
    for (int step = 1; step <= steps; step++) {
      windows.next(BATCH, x, labels);
      float loss = net.trainStep(x, labels, BATCH);
      if (progress && (step % 250 == 0 || step == steps)) {
        System.out.printf(Locale.ROOT, "step %d/%d  loss %.3f  lr %.2e  %.0f s%n", step, steps, loss,
            net.learningRate(), (System.nanoTime() - start) / 1e9);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(train.length, dev.length, unigram, devLoss(net, dev), steps, seconds);
  }

  /** Mean cross-entropy in nats per character over every full non-overlapping window of the dev text. */
  public static double devLoss(CharGptModel net, int[] dev) {
    int t = CharGpt.CONTEXT;
    int windows = (dev.length - 1) / t;
    float[] x = new float[BATCH * t];
    int[] labels = new int[BATCH * t];
    double sum = 0;
    for (int w = 0; w < windows; w += BATCH) {
      int n = Math.min(BATCH, windows - w);
      for (int row = 0; row < n; row++) TextCorpus.window(dev, (w + row) * t, t, x, labels, row);
      sum += (double) net.loss(x, labels, n) * n;
    }
    return sum / windows;
  }

}
