package dev.nabla.runtime.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Reads and writes the IDX files MNIST is distributed in, gzip-compressed or not (detected from
 * the content, not the name).
 *
 * <p>An IDX file is a big-endian header, then the data: two zero bytes, a type byte, the number of
 * dimensions d, d big-endian int sizes, then the elements row-major. Images are {@code 0x00000803}
 * (unsigned bytes, n × rows × cols), read as {@code value / 255f}; this class also reads and writes
 * {@code 0x00000D03} (big-endian IEEE floats, n × rows × cols), read as they are, which is how
 * pixels that are not exact multiples of 1/255 are stored losslessly. Labels are {@code 0x00000801}
 * (unsigned bytes, n).
 *
 * <p>Format errors are {@link IOException}s naming the file, the problem and the byte offset (in
 * the uncompressed content, for a .gz file).
 */
public final class Idx {
  public static final int UBYTE_IMAGES = 0x00000803;
  public static final int FLOAT_IMAGES = 0x00000D03;
  public static final int UBYTE_LABELS = 0x00000801;

  /** How {@link #write} stores pixels. */
  public enum Pixels {
    /** One unsigned byte per pixel, {@code round(v * 255)}; every v must lie in [0, 1]. */
    UBYTE,
    /** One big-endian float per pixel: lossless. */
    FLOAT
  }

  private Idx() {}

  /** Reads images and labels; classes = max(10, largest label + 1). */
  public static Dataset read(Path images, Path labels) throws IOException {
    return read(images, labels, 0);
  }

  /**
   * Reads images and labels; every label must be below {@code classes}. With {@code classes <= 0}
   * the class count is max(10, largest label + 1).
   */
  public static Dataset read(Path images, Path labels, int classes) throws IOException {
    byte[] img = load(images);
    byte[] lab = load(labels);

    int magic = header(img, images, 4);
    if (magic != UBYTE_IMAGES && magic != FLOAT_IMAGES) {
      throw new IOException(images + ": bad magic " + hex(magic) + " at byte offset 0, expected "
          + hex(UBYTE_IMAGES) + " (ubyte images) or " + hex(FLOAT_IMAGES) + " (float images)");
    }
    int dims = magic & 0xFF;
    if (dims < 1) throw new IOException(images + ": bad magic " + hex(magic) + " at byte offset 0: zero dimensions");
    int n = header(img, images, 8);
    long featureSize = 1;
    for (int d = 1; d < dims; d++) {
      int size = header(img, images, 8 + 4 * d);
      if (size <= 0) throw new IOException(images + ": bad dimension " + size + " at byte offset " + (4 + 4 * d));
      featureSize *= size;
    }
    if (n < 0) throw new IOException(images + ": negative image count " + n + " at byte offset 4");
    int elem = magic == UBYTE_IMAGES ? 1 : 4;
    int dataStart = 4 + 4 * dims;
    checkLength(images, img.length, dataStart, (long) n * featureSize * elem,
        n + " images of " + featureSize + " pixels × " + elem + " byte(s)");

    int labelMagic = header(lab, labels, 4);
    if (labelMagic != UBYTE_LABELS) {
      throw new IOException(labels + ": bad magic " + hex(labelMagic) + " at byte offset 0, expected "
          + hex(UBYTE_LABELS) + " (ubyte labels)");
    }
    int ln = header(lab, labels, 8);
    if (ln != n) {
      throw new IOException("count mismatch: " + images + " holds " + n + " images (byte offset 4) but "
          + labels + " holds " + ln + " labels (byte offset 4)");
    }
    checkLength(labels, lab.length, 8, n, n + " labels of 1 byte");

    float[] x = new float[(int) (n * featureSize)];
    if (elem == 1) {
      for (int i = 0; i < x.length; i++) x[i] = (img[dataStart + i] & 0xFF) / 255f;
    } else {
      ByteBuffer.wrap(img, dataStart, x.length * 4).asFloatBuffer().get(x);
    }
    int[] y = new int[n];
    int max = -1;
    for (int i = 0; i < n; i++) {
      y[i] = lab[8 + i] & 0xFF;
      if (classes > 0 && y[i] >= classes) {
        throw new IOException(labels + ": label " + y[i] + " at byte offset " + (8 + i) + " (example " + i
            + ") is out of range, expected 0.." + (classes - 1));
      }
      max = Math.max(max, y[i]);
    }
    return Dataset.ofLabels(x, (int) featureSize, y, classes > 0 ? classes : Math.max(10, max + 1));
  }

  /** Writes ubyte images (square when featureSize is a perfect square, else 1 × featureSize) and labels. */
  public static void write(Path images, Path labels, Dataset data) throws IOException {
    int side = (int) Math.round(Math.sqrt(data.featureSize()));
    if (side * side == data.featureSize()) write(images, labels, data, side, side, Pixels.UBYTE);
    else write(images, labels, data, 1, data.featureSize(), Pixels.UBYTE);
  }

  /**
   * Writes images (n × rows × cols) and labels, each atomically: to a temporary file in the same
   * directory, then moved into place. A path ending in ".gz" is gzip-compressed.
   */
  public static void write(Path images, Path labels, Dataset data, int rows, int cols, Pixels pixels)
      throws IOException {
    if (!data.isClassification()) throw new IllegalArgumentException("IDX files hold class labels; " + data + " has targets");
    if ((long) rows * cols != data.featureSize()) {
      throw new IllegalArgumentException(rows + " × " + cols + " pixels ≠ featureSize " + data.featureSize());
    }
    if (data.classes() > 256) throw new IllegalArgumentException(data.classes() + " classes do not fit in unsigned byte labels");
    float[] x = data.features();
    int n = data.size();
    if (pixels == Pixels.UBYTE) {
      for (int i = 0; i < x.length; i++) {
        if (!(x[i] >= 0f && x[i] <= 1f)) {
          throw new IllegalArgumentException("pixel " + x[i] + " at index " + i + " is outside [0, 1]; use Pixels.FLOAT");
        }
      }
    }
    atomically(images, out -> {
      out.writeInt(pixels == Pixels.UBYTE ? UBYTE_IMAGES : FLOAT_IMAGES);
      out.writeInt(n);
      out.writeInt(rows);
      out.writeInt(cols);
      if (pixels == Pixels.UBYTE) {
        byte[] b = new byte[x.length];
        for (int i = 0; i < x.length; i++) b[i] = (byte) Math.round(x[i] * 255f);
        out.write(b);
      } else {
        ByteBuffer b = ByteBuffer.allocate(x.length * 4);
        b.asFloatBuffer().put(x);
        out.write(b.array());
      }
    });
    int[] y = data.labels();
    atomically(labels, out -> {
      out.writeInt(UBYTE_LABELS);
      out.writeInt(n);
      byte[] b = new byte[n];
      for (int i = 0; i < n; i++) b[i] = (byte) y[i];
      out.write(b);
    });
  }

  /** The file's bytes, gunzipped if it starts with the gzip magic 1f 8b. */
  static byte[] load(Path file) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1F && (raw[1] & 0xFF) == 0x8B) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new IOException(file + ": corrupt gzip data: " + e.getMessage(), e);
      }
    }
    return raw;
  }

  /** The big-endian int ending at byte {@code end}, or an error that the header is truncated. */
  private static int header(byte[] b, Path file, int end) throws IOException {
    if (b.length < end) {
      throw new IOException(file + ": truncated header: needs " + end + " bytes but the file ends at byte offset " + b.length);
    }
    return ByteBuffer.wrap(b).getInt(end - 4);
  }

  private static void checkLength(Path file, int length, int start, long expected, String what) throws IOException {
    long have = length - start;
    if (have < expected) {
      throw new IOException(file + ": truncated: the header promises " + what + " = " + expected
          + " bytes from byte offset " + start + ", but the file ends at byte offset " + length
          + " (" + (expected - have) + " bytes missing)");
    }
    if (have > expected) {
      throw new IOException(file + ": " + (have - expected) + " unexpected trailing bytes after byte offset "
          + (start + expected) + " (the header promises " + what + ")");
    }
  }

  private static String hex(int v) {
    return String.format("0x%08X", v);
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static void atomically(Path target, Body body) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
    try {
      try (OutputStream file = Files.newOutputStream(tmp);
           OutputStream packed = target.toString().endsWith(".gz") ? new GZIPOutputStream(file, 1 << 16) : file;
           DataOutputStream out = new DataOutputStream(new BufferedOutputStream(packed, 1 << 16))) {
        body.write(out);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
