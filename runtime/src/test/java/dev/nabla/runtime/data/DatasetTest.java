package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DatasetTest {

  /** Row i has features (i, 10 i), label i % 3. */
  static Dataset sample(int n) {
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = i;
      x[2 * i + 1] = 10 * i;
      y[i] = i % 3;
    }
    return Dataset.ofLabels(x, 2, y, 3);
  }

  @Test
  void validatesLengths() {
    var e = assertThrows(IllegalArgumentException.class, () -> Dataset.ofLabels(new float[7], 2, new int[4], 3));
    assertTrue(e.getMessage().contains("7") && e.getMessage().contains("8"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Dataset.ofLabels(new float[4], 2, new int[] {0, 5}, 3));
    assertTrue(e.getMessage().contains("label 5 at row 1"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Dataset.ofTargets(new float[6], 2, new float[5], 2));
    assertTrue(e.getMessage().contains("5") && e.getMessage().contains("3 rows"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Dataset.ofTargets(new float[5], 2, new float[2], 1));
    assertTrue(e.getMessage().contains("multiple of featureSize 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Dataset.ofLabels(new float[0], 0, new int[0], 3));
  }

  @Test
  void accessors() {
    Dataset d = sample(5);
    assertEquals(5, d.size());
    assertEquals(2, d.featureSize());
    assertTrue(d.isClassification());
    assertEquals(3, d.classes());
    assertEquals(0, d.targetSize());
    assertArrayEquals(new float[] {3, 30}, d.row(3));
    assertEquals(1, d.label(4));
    d.features()[0] = 99; // a copy
    assertEquals(0f, d.row(0)[0]);
    assertThrows(IllegalStateException.class, d::targets);

    Dataset r = Dataset.ofTargets(new float[] {1, 2, 3, 4}, 2, new float[] {5, 6}, 1);
    assertFalse(r.isClassification());
    assertEquals(2, r.size());
    assertEquals(1, r.targetSize());
    assertArrayEquals(new float[] {5, 6}, r.targets());
    assertThrows(IllegalStateException.class, r::labels);
  }

  @Test
  void subsetSelectSplit() {
    Dataset d = sample(10);
    Dataset s = d.subset(2, 5);
    assertEquals(3, s.size());
    assertArrayEquals(new float[] {2, 20, 3, 30, 4, 40}, s.features());
    assertArrayEquals(new int[] {2, 0, 1}, s.labels());

    Dataset sel = d.select(new int[] {9, 0, 9});
    assertArrayEquals(new float[] {9, 90, 0, 0, 9, 90}, sel.features());
    assertArrayEquals(new int[] {0, 0, 0}, sel.labels());
    var e = assertThrows(IllegalArgumentException.class, () -> d.select(new int[] {10}));
    assertTrue(e.getMessage().contains("10"), e.getMessage());

    Dataset.Parts p = d.split(7);
    assertEquals(7, p.first().size());
    assertEquals(3, p.rest().size());
    assertArrayEquals(new float[] {7, 70}, p.rest().row(0));
    assertThrows(IllegalArgumentException.class, () -> d.split(11));
    assertThrows(IllegalArgumentException.class, () -> d.subset(3, 2));
  }

  @Test
  void shuffleIsDeterministicPermutation() {
    Dataset d = sample(100);
    Dataset a = d.shuffled(42);
    Dataset b = d.shuffled(42);
    Dataset c = d.shuffled(43);
    assertArrayEquals(a.features(), b.features());
    assertArrayEquals(a.labels(), b.labels());
    assertFalse(Arrays.equals(a.features(), c.features()));
    assertFalse(Arrays.equals(a.features(), d.features()));
    // a permutation: every row once, labels still belong to their rows
    boolean[] seen = new boolean[100];
    for (int i = 0; i < 100; i++) {
      int row = (int) a.row(i)[0];
      assertFalse(seen[row]);
      seen[row] = true;
      assertEquals(row % 3, a.label(i));
      assertEquals(10f * row, a.row(i)[1]);
    }
    // documented generator: Fisher-Yates over java.util.Random(seed)
    assertArrayEquals(Dataset.shuffledOrder(5, 7), Dataset.shuffledOrder(5, 7));
    int[] expected = {0, 1, 2, 3, 4};
    java.util.Random r = new java.util.Random(7);
    for (int i = 4; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = expected[i];
      expected[i] = expected[j];
      expected[j] = t;
    }
    assertArrayEquals(expected, Dataset.shuffledOrder(5, 7));
  }

  @Test
  void copyBatch() {
    Dataset d = sample(6);
    float[] x = new float[8];
    int[] y = new int[4];
    Arrays.fill(x, -1);
    d.copyBatch(new int[] {5, 1, 3, 0}, 1, 2, x, y);
    assertArrayEquals(new float[] {1, 10, 3, 30, -1, -1, -1, -1}, x);
    assertEquals(1, y[0]);
    assertEquals(0, y[1]);
    assertThrows(IllegalArgumentException.class, () -> d.copyBatch(new int[] {0, 1}, 1, 2, x, y));
    assertThrows(IllegalArgumentException.class, () -> d.copyBatch(new int[] {0, 1, 2, 3, 4}, 0, 5, x, y));

    Dataset r = Dataset.ofTargets(new float[] {1, 2, 3, 4, 5, 6}, 2, new float[] {7, 8, 9, 10, 11, 12}, 2);
    float[] t = new float[4];
    r.copyBatch(new int[] {2, 0}, 0, 2, x, t);
    assertArrayEquals(new float[] {11, 12, 7, 8}, t);
    assertArrayEquals(new float[] {5, 6, 1, 2}, Arrays.copyOf(x, 4));
    assertThrows(IllegalStateException.class, () -> r.copyBatch(new int[] {0}, 0, 1, x, y));
  }
}
