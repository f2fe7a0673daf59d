package dev.nabla.runtime.text;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextCorpusTest {

  @Test
  void joinsRecordsWithNewlines() {
    assertEquals("a\nb c\n\nd", TextCorpus.join(List.of("a", "b c", "", "d")));
    assertEquals("", TextCorpus.join(List.of()));
  }

  @Test
  void splitHoldsOutRecordsReproduciblyInOriginalOrder() {
    List<String> records = IntStream.range(0, 100).mapToObj(i -> "r" + i).toList();
    TextCorpus.Split s = TextCorpus.split(records, 0.1, 42);
    assertEquals(10, s.dev().size());
    assertEquals(90, s.train().size());
    Set<String> all = new HashSet<>(s.train());
    all.addAll(s.dev());
    assertEquals(100, all.size(), "a partition of the records");
    assertEquals(s, TextCorpus.split(records, 0.1, 42));
    assertNotEquals(s.dev(), TextCorpus.split(records, 0.1, 43).dev());
    for (List<String> part : List.of(s.train(), s.dev())) {
      List<String> sorted = new ArrayList<>(part);
      sorted.sort((a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
      assertEquals(sorted, part, "original order kept");
    }
    int[] order = dev.nabla.runtime.data.Dataset.shuffledOrder(100, 42);
    for (int i = 0; i < 10; i++) assertTrue(s.dev().contains("r" + order[i]));
    assertEquals(0, TextCorpus.split(records, 0, 1).dev().size());
    assertEquals(100, TextCorpus.split(records, 1, 1).dev().size());
    assertThrows(IllegalArgumentException.class, () -> TextCorpus.split(records, 1.5, 1));
  }

  @Test
  void randomWindowsAreNextTokenPairsSeededAndAllocationFree() {
    int[] ids = IntStream.range(0, 50).map(i -> i * 7 % 53).toArray(); // distinct ids
    int t = 6;
    int b = 64;
    float[] x = new float[b * t];
    int[] labels = new int[b * t];
    TextCorpus.RandomWindows w = new TextCorpus.RandomWindows(ids, t, 7);
    Set<Integer> starts = new HashSet<>();
    for (int step = 0; step < 20; step++) {
      w.next(b, x, labels);
      for (int r = 0; r < b; r++) {
        int start = findStart(ids, x, r, t);
        assertTrue(start >= 0 && start + t < ids.length, "row " + r + " is a window of the text");
        starts.add(start);
        for (int j = 0; j < t; j++) assertEquals(ids[start + j + 1], labels[r * t + j]);
      }
    }
    assertEquals(ids.length - t, starts.size(), "every start position is drawn, including the last");
    // reproducible, and resumable from a saved state
    TextCorpus.RandomWindows a = new TextCorpus.RandomWindows(ids, t, 11);
    TextCorpus.RandomWindows c = new TextCorpus.RandomWindows(ids, t, 11);
    float[] xa = new float[b * t];
    int[] la = new int[b * t];
    a.next(b, xa, la);
    c.next(b, x, labels);
    assertArrayEquals(xa, x);
    long[] state = a.state();
    a.next(b, xa, la);
    c.restore(state);
    c.next(b, x, labels);
    assertArrayEquals(xa, x);
    assertArrayEquals(la, labels);
    // allocation-free per batch
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    for (int i = 0; i < 1000; i++) a.next(b, xa, la); // warm-up
    threads.getThreadAllocatedBytes(tid);
    long before = threads.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 1000; i++) a.next(b, xa, la);
    assertEquals(0, threads.getThreadAllocatedBytes(tid) - before);
    assertThrows(IllegalArgumentException.class, () -> new TextCorpus.RandomWindows(new int[6], 6, 1));
    assertThrows(IllegalArgumentException.class, () -> a.next(b + 1, xa, la));
  }

  private static int findStart(int[] ids, float[] x, int row, int t) {
    outer:
    for (int s = 0; s + t < ids.length; s++) {
      for (int j = 0; j < t; j++) if (ids[s + j] != (int) x[row * t + j]) continue outer;
      return s;
    }
    return -1;
  }

  @Test
  void sequentialWindowsPredictEveryTokenOnce() {
    for (int n : new int[] {7, 11, 12, 13, 30}) {
      int[] ids = IntStream.range(0, n).map(i -> 100 + i).toArray();
      int t = 5;
      TextCorpus.SequentialWindows w = new TextCorpus.SequentialWindows(ids, t);
      assertEquals((n - 1 + t - 1) / t, w.windows());
      assertEquals(n - 1, w.scoredTokens());
      int[] predicted = new int[n];
      float[] x = new float[3 * t];
      int[] labels = new int[3 * t];
      int total = 0;
      for (int rows; (rows = w.next(3, x, labels)) > 0; ) {
        for (int r = 0; r < rows; r++) {
          for (int j = 0; j < t; j++) {
            assertEquals((int) x[r * t + j] + 1, labels[r * t + j], "labels are the next tokens");
            if (j >= w.scoredFrom(r)) predicted[labels[r * t + j] - 100]++;
          }
        }
        total += rows;
      }
      assertEquals(w.windows(), total);
      assertEquals(0, predicted[0], "n=" + n + ": the first token has no context");
      for (int i = 1; i < n; i++) assertEquals(1, predicted[i], "n=" + n + ": token " + i);
      assertEquals(0, w.next(3, x, labels));
      w.reset();
      assertEquals(Math.min(3, w.windows()), w.next(3, x, labels));
    }
    assertThrows(IllegalArgumentException.class, () -> new TextCorpus.SequentialWindows(new int[5], 5));
  }

  @Test
  void unigramCrossEntropyWithAddOneSmoothing() {
    int[] train = {0, 0, 0, 1}; // counts 3, 1, 0 over 3 ids: p = 4/7, 2/7, 1/7
    int[] dev = {0, 1, 2, 2};
    double expected = -(Math.log(4 / 7.0) + Math.log(2 / 7.0) + 2 * Math.log(1 / 7.0)) / 4;
    assertEquals(expected, TextCorpus.unigramCrossEntropy(train, dev, 3), 1e-12);
    // uniform training text: ln V
    assertEquals(Math.log(4), TextCorpus.unigramCrossEntropy(new int[] {0, 1, 2, 3}, new int[] {3, 1}, 4), 1e-12);
    assertEquals(Math.log(5), TextCorpus.unigramCrossEntropy(new int[0], new int[] {3}, 5), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> TextCorpus.unigramCrossEntropy(train, new int[] {3}, 3));
    assertThrows(IllegalArgumentException.class, () -> TextCorpus.unigramCrossEntropy(train, new int[0], 3));
  }
}
