package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import dev.nabla.runtime.io.Safetensors;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizerTest {
  // Three rows of three features: the middle one is constant.
  static final float[] TABLE = {1, 10, 5, 3, 10, 7, 5, 10, 9};

  @Test
  void statisticsOfAKnownTable() {
    Dataset d = Dataset.ofLabels(TABLE.clone(), 3, new int[] {0, 1, 0}, 2);
    Normalizer n = Normalizer.fit(d);
    float s = (float) Math.sqrt(8.0 / 3);
    assertArrayEquals(new float[] {3, 10, 7}, n.mean(), 1e-6f);
    assertArrayEquals(new float[] {s, 1, s}, n.std(), 1e-6f, "zero variance is left at std 1 (only centred)");

    Dataset z = n.apply(d);
    assertArrayEquals(new float[] {-2 / s, 0, -2 / s, 0, 0, 0, 2 / s, 0, 2 / s}, z.features(), 1e-6f);
    assertArrayEquals(d.labels(), z.labels());
    assertArrayEquals(TABLE, d.features(), "the source dataset is unchanged");
    Normalizer again = Normalizer.fit(z);
    assertArrayEquals(new float[3], again.mean(), 1e-6f);
  }

  @Test
  void inPlaceBatchMatchesDataset() {
    Dataset d = Dataset.ofTargets(TABLE.clone(), 3, new float[] {1, 2, 3}, 1);
    Normalizer n = Normalizer.fit(d);
    float[] batch = {3, 10, 7, 5, 10, 9, 99, 99, 99};
    n.apply(batch, 2);
    assertArrayEquals(new float[] {0, 0, 0, n.apply(d).row(2)[0], 0, n.apply(d).row(2)[2], 99, 99, 99}, batch, 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> n.apply(new float[5], 2));
    assertThrows(IllegalArgumentException.class, () -> n.apply(Dataset.ofTargets(new float[2], 2, new float[1], 1)));
  }

  @Test
  void saveLoadRoundTrip(@TempDir Path dir) throws Exception {
    Normalizer n = Normalizer.fit(Dataset.ofLabels(TABLE.clone(), 3, new int[] {0, 1, 0}, 2));
    Path f = dir.resolve("model.normalizer.safetensors");
    n.save(f);
    Normalizer back = Normalizer.load(f);
    assertArrayEquals(n.mean(), back.mean());
    assertArrayEquals(n.std(), back.std());
    Safetensors.Contents c = Safetensors.read(f);
    assertEquals(java.util.Set.of(Normalizer.MEAN, Normalizer.STD), c.tensors().keySet());
    assertEquals(Safetensors.DType.F32, c.tensors().get(Normalizer.MEAN).dtype());
  }

  @Test
  void loadRejectsOtherFiles(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("w.safetensors");
    Safetensors.write(f, java.util.Map.of(), java.util.List.of(Safetensors.Tensor.ofFloats("w", new long[] {2}, new float[2], 0)));
    assertThrows(java.io.IOException.class, () -> Normalizer.load(f));
  }

  @Test
  void splitIntoTrainDevTest() {
    int n = 10;
    float[] x = new float[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) x[i] = i;
    Dataset d = Dataset.ofLabels(x, 1, y, 1);
    Dataset.TrainDevTest p = d.split(0.7, 0.15, 3);
    assertEquals(7, p.train().size());
    assertEquals(1, p.dev().size(), "floor(1.5)");
    assertEquals(2, p.test().size(), "the rest");
    boolean[] seen = new boolean[n];
    for (Dataset part : new Dataset[] {p.train(), p.dev(), p.test()}) {
      for (float v : part.features()) {
        assertFalse(seen[(int) v]);
        seen[(int) v] = true;
      }
    }
    Dataset.TrainDevTest q = d.split(0.7, 0.15, 3);
    assertArrayEquals(p.train().features(), q.train().features(), "deterministic under a seed");
    assertArrayEquals(p.test().features(), q.test().features());
    assertFalse(java.util.Arrays.equals(p.train().features(), d.split(0.7, 0.15, 4).train().features()));
    assertEquals(10, d.split(1, 0, 0).train().size());
    assertThrows(IllegalArgumentException.class, () -> d.split(0.8, 0.3, 0));
    assertThrows(IllegalArgumentException.class, () -> d.split(-0.1, 0.3, 0));
    assertEquals(10, d.split(0, 0, 1).test().size());
  }
}
