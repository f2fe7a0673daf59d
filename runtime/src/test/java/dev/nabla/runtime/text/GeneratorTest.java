package dev.nabla.runtime.text;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeneratorTest {

  @Test
  void greedyFollowsTheArgmaxChain() {
    BigramModel m = BigramModel.successor(64, 10);
    int[] out = Generator.generate(m, new int[] {7}, 6, 0, 0, 1, t -> {});
    assertArrayEquals(new int[] {8, 9, 0, 1, 2, 3}, out);
    assertArrayEquals(out, Generator.generate(m, new int[] {7}, 6, 1.0, 1, 99, t -> {}), "top-k 1 is greedy");
  }

  @Test
  void sameSeedSameTokensOtherSeedOtherTokens() {
    BigramModel m = BigramModel.successor(32, 10);
    int[] a = Generator.generate(m, new int[] {1, 2}, 100, 1.0, 0, 2024, t -> {});
    assertArrayEquals(a, Generator.generate(m, new int[] {1, 2}, 100, 1.0, 0, 2024, t -> {}));
    assertFalse(Arrays.equals(a, Generator.generate(m, new int[] {1, 2}, 100, 1.0, 0, 2025, t -> {})));
    int[] top3 = Generator.generate(m, new int[] {1, 2}, 100, 1.0, 3, 7, t -> {});
    assertArrayEquals(top3, Generator.generate(m, new int[] {1, 2}, 100, 1.0, 3, 7, t -> {}));
  }

  @Test
  void promptIsFedOnceAndTokensStreamBeforeTheyAreFed() {
    BigramModel m = BigramModel.successor(64, 10);
    int[] prompt = {3, 1, 4, 1, 5};
    List<Integer> streamed = new ArrayList<>();
    List<Integer> callsAtCallback = new ArrayList<>();
    int[] out = Generator.generate(m, prompt, 20, 0.8, 0, 5, t -> {
      streamed.add(t);
      callsAtCallback.add(m.decodeCalls);
    });
    assertEquals(Arrays.stream(out).boxed().toList(), streamed);
    assertEquals(1, m.resets);
    assertEquals(prompt.length + out.length - 1, m.decodeCalls, "each token fed once, the last one not at all");
    for (int j = 0; j < out.length; j++) {
      assertEquals(prompt.length + j, callsAtCallback.get(j), "token " + j + " streamed as soon as drawn");
    }
    // the cache grew one token at a time along prompt + generated tokens
    int[] history = concat(prompt, out);
    for (int c = 0; c < m.snapshots.size(); c++) {
      assertArrayEquals(Arrays.copyOf(history, c + 1), m.snapshots.get(c));
    }
  }

  @Test
  void slidingWindowReFeedsTheLastHalfContext() {
    int context = 8;
    BigramModel m = BigramModel.successor(context, 10);
    int[] prompt = {0, 1, 2};
    int[] out = Generator.generate(m, prompt, 30, 1.0, 0, 3, t -> {});
    int[] history = concat(prompt, out);
    // expected calls: positions fed, in order; a slide re-feeds the 4 tokens before the one fed
    List<int[]> expected = new ArrayList<>();
    int start = 0; // history index of the cache's first token
    int resets = 1;
    for (int i = 0; i < history.length - 1; i++) {
      if (i - start == context) {
        resets++;
        start = i - context / 2;
        for (int p = start; p < i; p++) expected.add(Arrays.copyOfRange(history, start, p + 1));
      }
      expected.add(Arrays.copyOfRange(history, start, i + 1));
    }
    assertEquals(expected.size(), m.snapshots.size());
    for (int c = 0; c < expected.size(); c++) {
      assertArrayEquals(expected.get(c), m.snapshots.get(c), "cache after decode call " + c);
    }
    assertEquals(resets, m.resets);
    // 32 tokens fed: 8 fill the cache, then a slide at every 4th token (at 8, 12, ..., 28: 6 slides)
    assertEquals(7, m.resets);
    assertEquals(history.length - 1 + 6 * 4, m.decodeCalls);
    // every decode sees a contiguous suffix of the history ending at the token fed, of length ≤ context
    for (int[] snap : m.snapshots) assertTrue(snap.length <= context);
  }

  @Test
  void promptLongerThanTheContextSlidesToo() {
    BigramModel m = BigramModel.successor(4, 10);
    int[] prompt = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    int[] out = Generator.generate(m, prompt, 3, 0, 0, 1, t -> {});
    assertArrayEquals(new int[] {0, 1, 2}, out);
    int[] history = concat(prompt, out);
    int[] last = m.snapshots.get(m.snapshots.size() - 1);
    assertArrayEquals(Arrays.copyOfRange(history, history.length - 1 - last.length, history.length - 1), last);
    assertTrue(last.length >= 3 && last.length <= 4);
  }

  @Test
  void contextOfOneFeedsOnlyTheNewToken() {
    BigramModel m = BigramModel.successor(1, 5);
    int[] out = Generator.generate(m, new int[] {0}, 5, 0, 0, 1, t -> {});
    assertArrayEquals(new int[] {1, 2, 3, 4, 0}, out);
    assertEquals(5, m.decodeCalls);
    for (int[] snap : m.snapshots) assertEquals(1, snap.length);
  }

  @Test
  void rejectsBadArguments() {
    BigramModel m = BigramModel.successor(8, 5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Generator.generate(m, new int[0], 3, 1, 0, 1, t -> {}));
    assertTrue(e.getMessage().contains("prompt is empty"));
    e = assertThrows(IllegalArgumentException.class, () -> Generator.generate(m, new int[] {0, 5}, 3, 1, 0, 1, t -> {}));
    assertTrue(e.getMessage().contains("prompt token 5 at position 1"));
    assertThrows(IllegalArgumentException.class, () -> Generator.generate(m, new int[] {0}, -1, 1, 0, 1, t -> {}));
    assertThrows(IllegalArgumentException.class, () -> Generator.generate(m, new int[] {0}, 3, -1, 0, 1, t -> {}));
    assertEquals(0, m.decodeCalls, "nothing fed for rejected arguments");
    assertEquals(0, Generator.generate(m, new int[] {0}, 0, 1, 0, 1, t -> {}).length);
  }

  @Test
  void tokenizerOverloadStreamsTextPieces() {
    CharTokenizer tok = CharTokenizer.train("\nabcde"); // ids: \n=0 a=1 b=2 c=3 d=4 e=5
    BigramModel m = BigramModel.successor(16, tok.vocabularySize());
    List<String> pieces = new ArrayList<>();
    String text = Generator.generate(m, tok, "ab", 7, 0, 0, 1, pieces::add);
    assertEquals("cde\nabc", text);
    assertEquals(List.of("c", "d", "e", "\n", "a", "b", "c"), pieces);
    assertEquals("abcde", Generator.generate(m, tok, "", 5, 0, 0, 1, p -> {}), "empty prompt: start after a newline");

    WordTokenizer words = WordTokenizer.train("one two , three", 10, false);
    BigramModel wm = BigramModel.successor(16, words.vocabularySize()); // <unk> , one three two
    assertEquals(" three two <unk>,", Generator.generate(wm, words, "one", 4, 0, 0, 1, p -> {}));
    assertThrows(IllegalArgumentException.class, () -> Generator.generate(wm, words, "", 4, 0, 0, 1, p -> {}));
    WordTokenizer withBos = WordTokenizer.train("one two , three", 10, false, WordTokenizer.Special.BOS);
    BigramModel bm = BigramModel.successor(16, withBos.vocabularySize());
    assertEquals(",", Generator.generate(bm, withBos, "", 1, 0, 0, 1, p -> {}), "no space right after <bos>");
    assertThrows(IllegalArgumentException.class, () -> Generator.generate(m, words, "one", 4, 0, 0, 1, p -> {}),
        "vocabulary sizes differ");
  }

  @Test
  void generationAllocatesNothingPerToken() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    BigramModel m = BigramModel.successor(64, 50);
    m.recordSnapshots = false;
    long tid = Thread.currentThread().threadId();
    long[] sink = {0};
    for (int i = 0; i < 20; i++) Generator.generate(m, new int[] {1}, 2000, 0.9, 10, i, t -> sink[0] += t);
    long before = threads.getThreadAllocatedBytes(tid);
    Generator.generate(m, new int[] {1}, 10, 0.9, 10, 1, t -> sink[0] += t);
    long small = threads.getThreadAllocatedBytes(tid) - before;
    before = threads.getThreadAllocatedBytes(tid);
    Generator.generate(m, new int[] {1}, 10_010, 0.9, 10, 1, t -> sink[0] += t);
    long large = threads.getThreadAllocatedBytes(tid) - before;
    // 10,000 more tokens cost only the two longer int arrays (history and result): 80,000 bytes
    assertTrue(large - small <= 80_000 + 256, "extra bytes for 10,000 more tokens: " + (large - small));
  }

  private static int[] concat(int[] a, int[] b) {
    int[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
