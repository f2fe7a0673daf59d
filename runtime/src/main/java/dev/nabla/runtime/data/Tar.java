package dev.nabla.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A minimal reader of (uncompressed) tar streams, enough for npm package tarballs: 512-byte ustar
 * headers (name with the ustar prefix, octal size, header checksum), file data padded to a
 * multiple of 512, end at the first all-zero header. Pax ('x', 'g') and GNU long-name ('L')
 * entries are understood far enough to skip them or take the long name.
 */
final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  /** The contents of the regular files whose names match {@code wanted}, by name, in stream order. */
  static Map<String, byte[]> read(InputStream in, Predicate<String> wanted) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    byte[] header = new byte[BLOCK];
    long offset = 0;
    String longName = null;
    while (true) {
      if (!readFully(in, header)) {
        if (offset == 0) throw new IOException("empty tar stream");
        return files; // tolerated: a stream that ends without the two zero blocks
      }
      if (isZero(header)) return files;
      checkChecksum(header, offset);
      String name = string(header, 0, 100);
      String prefix = isUstar(header) ? string(header, 345, 155) : "";
      if (!prefix.isEmpty()) name = prefix + "/" + name;
      if (longName != null) {
        name = longName;
        longName = null;
      }
      long size = octal(header, 124, 12, offset);
      char type = (char) header[156];
      offset += BLOCK;
      long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
      boolean regular = type == '0' || type == 0 || type == '7';
      if (type == 'L' || (regular && wanted.test(name))) {
        if (size > Integer.MAX_VALUE - 8) throw new IOException("tar entry " + name + " is too large: " + size + " bytes");
        byte[] data = new byte[(int) size];
        if (in.readNBytes(data, 0, data.length) < data.length) throw new IOException("tar stream truncated inside " + name + " (entry data at byte offset " + offset + ")");
        skip(in, padded - size, name, offset);
        if (type == 'L') longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
        else files.put(name, data);
      } else {
        skip(in, padded, name, offset);
      }
      offset += padded;
    }
  }

  private static boolean isUstar(byte[] h) {
    return h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
  }

  private static void checkChecksum(byte[] h, long offset) throws IOException {
    long stored = octal(h, 148, 8, offset);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xFF);
    if (sum != stored) {
      throw new IOException("corrupt tar header at byte offset " + offset + ": checksum " + sum + " ≠ stored " + stored);
    }
  }

  /** An octal number field: digits, optionally surrounded by spaces and ended by NUL or space. */
  static long octal(byte[] h, int at, int len, long offset) throws IOException {
    long v = 0;
    int i = at;
    int end = at + len;
    while (i < end && h[i] == ' ') i++;
    for (; i < end && h[i] != 0 && h[i] != ' '; i++) {
      int d = h[i] - '0';
      if (d < 0 || d > 7) {
        throw new IOException("corrupt tar header at byte offset " + offset + ": bad octal digit in field at " + at);
      }
      v = v * 8 + d;
    }
    return v;
  }

  private static String string(byte[] h, int at, int len) {
    int end = at;
    while (end < at + len && h[end] != 0) end++;
    return new String(h, at, end - at, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] b) {
    for (byte v : b) if (v != 0) return false;
    return true;
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, b.length);
    if (n == 0) return false;
    if (n < b.length) throw new IOException("tar stream truncated: " + n + " of " + b.length + " bytes");
    return true;
  }

  private static void skip(InputStream in, long n, String name, long offset) throws IOException {
    try {
      in.skipNBytes(n);
    } catch (java.io.EOFException e) {
      throw new IOException("tar stream truncated inside " + name + " (entry data at byte offset " + offset + ")", e);
    }
  }
}
