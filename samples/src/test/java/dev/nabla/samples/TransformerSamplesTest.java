package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.data.Fortunes;
import dev.nabla.runtime.text.Generator;
import dev.nabla.runtime.text.Tokenizer;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transformer samples: the encoder-decoder reaches ≥ 99% exact match on held-out strings, the
 * character GPT learns the fortunes text (dev loss well under the unigram baseline after a short
 * run), generation is reproducible and streams, the vocabulary file round-trips beside the weights,
 * and neither a training step, a prediction nor a decoded token allocates after warm-up.
 */
class TransformerSamplesTest {

  @Test
  void encoderDecoderReversesHeldOutStrings() {
    ReverseDigits.Result r = ReverseDigits.run(ReverseDigits.STEPS, 42, false);
    System.out.printf(Locale.ROOT, "reverse digits: exact match %.4f, digit accuracy %.4f after %d steps (%.1f s)%n",
        r.exactMatch(), r.digitAccuracy(), r.steps(), r.seconds());
    assertTrue(r.exactMatch() >= 0.99, "held-out exact match " + r.exactMatch());
  }

  @Test
  void charGptLearnsTheFortunesText(@TempDir Path dir) throws Exception {
    List<String> records;
    try {
      records = Fortunes.records();
    } catch (UncheckedIOException e) {
      Assumptions.abort("fortunes unavailable: " + e.getMessage());
      return;
    }
    CharGptModel net = CharGptModel.create(42);
    FortuneGpt.Result r = FortuneGpt.train(net, records, 300, 42, false);
    System.out.printf(Locale.ROOT, "char GPT: dev loss %.3f nats/char after %d steps, unigram %.3f%n", r.devLoss(),
        r.steps(), r.unigram());
    assertTrue(r.unigram() > 3.0 && r.unigram() < 3.6, "unigram baseline " + r.unigram());
    assertTrue(r.devLoss() < r.unigram() - 0.5, "dev loss " + r.devLoss() + " vs unigram " + r.unigram());

    // generation: reproducible under a seed, streamed piece by piece
    StringBuilder streamed = new StringBuilder();
    String a = Generator.generate(net, FortuneGpt.tokenizer(), "The ", 80, 1.0, 10, 7, streamed::append);
    String b = Generator.generate(net, FortuneGpt.tokenizer(), "The ", 80, 1.0, 10, 7, s -> { });
    assertEquals(a, b);
    assertEquals(a, streamed.toString());
    assertEquals(80, a.length());

    // weights and vocabulary saved side by side load into a fresh model that generates the same text
    Path weights = dir.resolve("chargpt.safetensors");
    net.save(weights);
    FortuneGpt.tokenizer().save(Tokenizer.vocabularyPath(weights));
    CharGptModel again = CharGptModel.create(1);
    again.load(weights);
    Tokenizer vocab = Tokenizer.load(Tokenizer.vocabularyPath(weights));
    assertTrue(Files.exists(Tokenizer.vocabularyPath(weights)));
    assertEquals(a, Generator.generate(again, vocab, "The ", 80, 1.0, 10, 7, s -> { }));
  }

  @Test
  void trainingPredictingAndDecodingAllocateNothingAfterWarmUp() {
    CharGptModel net = CharGptModel.create(3);
    int t = CharGpt.CONTEXT;
    GradientCheck.Batch batch = GradientCheck.Batch.tokens(8, new int[] {t}, new int[] {CharGpt.VOCAB}, t,
        CharGpt.VOCAB, 5);
    float[] out = new float[8 * t * CharGpt.VOCAB];
    float[] logits = new float[CharGpt.VOCAB];
    Runnable[] calls = {
      () -> net.trainStep(batch.xf(), batch.labels(), 8),
      () -> net.predict(batch.xf(), 8, out),
      () -> {
        net.resetCache();
        for (int i = 0; i < 16; i++) net.decode(i, logits);
      }
    };
    String[] names = {"trainStep", "predict", "decode"};
    for (int c = 0; c < calls.length; c++) {
      Runnable r = calls[c];
      long bytes = -1;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (bytes != 0 && System.nanoTime() < deadline) bytes = allocated(r, 10);
      assertEquals(0, bytes, names[c] + ": bytes allocated by 10 calls after warm-up");
    }
  }

  @Test
  void cleaningKeepsTheAlphabet() {
    assertEquals("bold and A b\n", FortuneGpt.clean("b_\bo_\bl_\bd and A\tb\u00e9\n"));
    int[] ids = FortuneGpt.tokenizer().encode("Hi!\n");
    assertEquals(96, FortuneGpt.tokenizer().vocabularySize());
    assertArrayEquals(ids, FortuneGpt.tokenizer().encode(FortuneGpt.clean("Hi!\n")));
  }

  private static long allocated(Runnable work, int times) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().threadId();
    long before = threads.getThreadAllocatedBytes(id);
    for (int i = 0; i < times; i++) work.run();
    return threads.getThreadAllocatedBytes(id) - before;
  }
}
