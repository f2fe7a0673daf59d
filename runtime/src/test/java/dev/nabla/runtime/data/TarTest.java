package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class TarTest {

  /** A .tgz with ustar headers, written here byte by byte. */
  static byte[] tgz(Map<String, byte[]> files) throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    for (var e : files.entrySet()) {
      byte[] h = new byte[512];
      String name = e.getKey();
      String prefix = "";
      if (name.length() > 100) {
        int slash = name.lastIndexOf('/');
        prefix = name.substring(0, slash);
        name = name.substring(slash + 1);
      }
      put(h, 0, name);
      put(h, 100, "0000644");
      put(h, 108, "0000000");
      put(h, 116, "0000000");
      put(h, 124, String.format("%011o", e.getValue().length));
      put(h, 136, "00000000000");
      h[156] = '0';
      put(h, 257, "ustar");
      put(h, 263, "00");
      put(h, 345, prefix);
      Arrays.fill(h, 148, 156, (byte) ' ');
      int sum = 0;
      for (byte b : h) sum += b & 0xFF;
      put(h, 148, String.format("%06o", sum));
      h[154] = 0;
      raw.write(h);
      raw.write(e.getValue());
      raw.write(new byte[(512 - e.getValue().length % 512) % 512]);
    }
    raw.write(new byte[1024]);
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (var out = new GZIPOutputStream(gz)) {
      out.write(raw.toByteArray());
    }
    return gz.toByteArray();
  }

  private static void put(byte[] h, int at, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, b.length);
  }

  @Test
  void readsWantedFiles() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("package/a.txt", "hello".getBytes(StandardCharsets.UTF_8));
    files.put("package/empty", new byte[0]);
    byte[] big = new byte[1300];
    for (int i = 0; i < big.length; i++) big[i] = (byte) i;
    files.put("package/big.bin", big);
    String longName = "package/" + "d".repeat(120) + "/exact512.bin";
    files.put(longName, new byte[512]);
    files.put("package/z.txt", "last".getBytes(StandardCharsets.UTF_8));
    byte[] tgz = tgz(files);

    Map<String, byte[]> got = Tar.read(new GZIPInputStream(new ByteArrayInputStream(tgz)), n -> !n.endsWith("a.txt"));
    assertEquals(java.util.List.of("package/empty", "package/big.bin", longName, "package/z.txt"), java.util.List.copyOf(got.keySet()));
    assertArrayEquals(big, got.get("package/big.bin"));
    assertEquals("last", new String(got.get("package/z.txt"), StandardCharsets.UTF_8));
    assertEquals(512, got.get(longName).length);
  }

  @Test
  void detectsCorruption() throws IOException {
    byte[] tgz = tgz(Map.of("package/a.txt", "hello".getBytes(StandardCharsets.UTF_8)));
    byte[] raw = new GZIPInputStream(new ByteArrayInputStream(tgz)).readAllBytes();
    byte[] bad = raw.clone();
    bad[3] ^= 1;
    IOException e = assertThrows(IOException.class, () -> Tar.read(new ByteArrayInputStream(bad), n -> true));
    assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("byte offset 0"), e.getMessage());
    byte[] cut = Arrays.copyOf(raw, 515);
    e = assertThrows(IOException.class, () -> Tar.read(new ByteArrayInputStream(cut), n -> true));
    assertTrue(e.getMessage().contains("truncated"), e.getMessage());
  }
}
