package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  /** 3 images of 2 × 2 pixels with values k/255. */
  static Dataset tiny() {
    float[] x = new float[12];
    for (int i = 0; i < x.length; i++) x[i] = (i * 20) / 255f;
    return Dataset.ofLabels(x, 4, new int[] {7, 0, 9}, 10);
  }

  @Test
  void ubyteRoundTrip() throws IOException {
    Path im = dir.resolve("im");
    Path lb = dir.resolve("lb");
    Idx.write(im, lb, tiny());
    assertEquals(16 + 12, Files.size(im));
    assertEquals(8 + 3, Files.size(lb));
    assertEquals(Idx.UBYTE_IMAGES, ByteBuffer.wrap(Files.readAllBytes(im)).getInt(0));
    Dataset back = Idx.read(im, lb);
    assertArrayEquals(tiny().features(), back.features());
    assertArrayEquals(new int[] {7, 0, 9}, back.labels());
    assertEquals(10, back.classes());
    try (var files = Files.list(dir)) {
      assertEquals(2, files.count(), "no temporary files left behind");
    }
  }

  @Test
  void floatRoundTripAndClassCount() throws IOException {
    float[] x = {0.001f, 0.5f, 1f, 0.333f, -2f, 3.25f};
    Dataset d = Dataset.ofLabels(x, 3, new int[] {12, 4}, 13);
    Path im = dir.resolve("im");
    Path lb = dir.resolve("lb");
    Idx.write(im, lb, d, 1, 3, Idx.Pixels.FLOAT);
    Dataset back = Idx.read(im, lb);
    assertArrayEquals(x, back.features());
    assertEquals(13, back.classes());
    assertThrows(IllegalArgumentException.class, () -> Idx.write(im, lb, d, 1, 3, Idx.Pixels.UBYTE));
  }

  @Test
  void gzip() throws IOException {
    Path im = dir.resolve("im.gz");
    Path lb = dir.resolve("lb.gz");
    Idx.write(im, lb, tiny());
    assertEquals(0x1F, Files.readAllBytes(im)[0] & 0xFF);
    Dataset back = Idx.read(im, lb);
    assertArrayEquals(tiny().features(), back.features());
    // detection is by content: a gzip file without the suffix reads too
    Path renamed = dir.resolve("plain-name");
    Files.copy(lb, renamed);
    assertArrayEquals(new int[] {7, 0, 9}, Idx.read(im, renamed).labels());
  }

  @Test
  void badMagic() throws IOException {
    Path im = dir.resolve("im");
    Path lb = dir.resolve("lb");
    Idx.write(im, lb, tiny());
    IOException e = assertThrows(IOException.class, () -> Idx.read(lb, lb));
    assertTrue(e.getMessage().contains(lb.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("bad magic 0x00000801 at byte offset 0"), e.getMessage());
    e = assertThrows(IOException.class, () -> Idx.read(im, im));
    assertTrue(e.getMessage().contains("bad magic 0x00000803 at byte offset 0"), e.getMessage());
  }

  @Test
  void truncated() throws IOException {
    Path im = dir.resolve("im");
    Path lb = dir.resolve("lb");
    Idx.write(im, lb, tiny());
    byte[] b = Files.readAllBytes(im);
    Files.write(im, Arrays.copyOf(b, b.length - 5));
    IOException e = assertThrows(IOException.class, () -> Idx.read(im, lb));
    assertTrue(e.getMessage().contains(im.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("byte offset 23") && e.getMessage().contains("5 bytes missing"), e.getMessage());

    Files.write(im, Arrays.copyOf(b, 10));
    e = assertThrows(IOException.class, () -> Idx.read(im, lb));
    assertTrue(e.getMessage().contains("truncated header") && e.getMessage().contains("byte offset 10"), e.getMessage());

    Files.write(im, b);
    Files.write(lb, Arrays.copyOf(Files.readAllBytes(lb), 10));
    e = assertThrows(IOException.class, () -> Idx.read(im, lb));
    assertTrue(e.getMessage().contains(lb.toString()) && e.getMessage().contains("1 bytes missing"), e.getMessage());

    // a truncated .gz stream names the file too
    Path gz = dir.resolve("im.gz");
    Idx.write(gz, lb, tiny());
    byte[] g = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(g, g.length - 12));
    e = assertThrows(IOException.class, () -> Idx.read(gz, lb));
    assertTrue(e.getMessage().contains(gz.toString()), e.getMessage());
  }

  @Test
  void countMismatch() throws IOException {
    Path im = dir.resolve("im");
    Path lb = dir.resolve("lb");
    Idx.write(im, lb, tiny());
    Path lb2 = dir.resolve("lb2");
    Idx.write(dir.resolve("im2"), lb2, tiny().subset(0, 2));
    IOException e = assertThrows(IOException.class, () -> Idx.read(im, lb2));
    assertTrue(e.getMessage().contains("count mismatch") && e.getMessage().contains("3 images")
        && e.getMessage().contains("2 labels") && e.getMessage().contains(lb2.toString()), e.getMessage());
  }

  @Test
  void labelOutOfRangeAndTrailingBytes() throws IOException {
    Path im = dir.resolve("im");
    Path lb = dir.resolve("lb");
    Idx.write(im, lb, tiny());
    IOException e = assertThrows(IOException.class, () -> Idx.read(im, lb, 8));
    assertTrue(e.getMessage().contains("label 9 at byte offset 10") && e.getMessage().contains(lb.toString()), e.getMessage());

    try (OutputStream out = Files.newOutputStream(lb, java.nio.file.StandardOpenOption.APPEND)) {
      out.write(1);
    }
    e = assertThrows(IOException.class, () -> Idx.read(im, lb));
    assertTrue(e.getMessage().contains("1 unexpected trailing bytes after byte offset 11"), e.getMessage());
  }

  @Test
  void readsHandWrittenStandardFiles() throws IOException {
    // written byte by byte, as the MNIST distribution is: ubyte images, gzip
    ByteBuffer b = ByteBuffer.allocate(16 + 2);
    b.putInt(0x803).putInt(2).putInt(1).putInt(1).put((byte) 255).put((byte) 0);
    Path im = dir.resolve("train-images-idx3-ubyte.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(im))) {
      out.write(b.array());
    }
    Path lb = dir.resolve("train-labels-idx1-ubyte");
    Files.write(lb, ByteBuffer.allocate(10).putInt(0x801).putInt(2).put((byte) 3).put((byte) 1).array());
    Dataset d = Idx.read(im, lb);
    assertArrayEquals(new float[] {1f, 0f}, d.features());
    assertArrayEquals(new int[] {3, 1}, d.labels());
  }
}
