package dev.nabla.runtime.io;

import java.io.EOFException;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8
 * JSON mapping each tensor name to its dtype, shape and [begin, end) offsets into the data buffer
 * that follows (plus an optional {@code __metadata__} string map), then the raw little-endian data.
 *
 * <p>The reader enforces the format's rules and reports every violation as a
 * {@link SafetensorsFormatException} naming the source, the problem and where it is (a byte offset
 * into the file, or the tensor): header length at most {@link #MAX_HEADER_SIZE} and within the file;
 * a header that is valid UTF-8 holding one strict JSON object (no duplicate keys, nothing after it
 * but spaces); entries with a known dtype, a shape of non-negative integers and two integer offsets
 * with begin ≤ end and end − begin = elements × dtype size; offsets that, sorted, are contiguous from
 * 0, do not overlap and cover the data buffer exactly; a {@code __metadata__} of strings only. Sizes
 * are checked against the file before anything is allocated, so no declared shape can make the
 * reader allocate more than the file holds.
 */
public final class Safetensors {

  /** The reference implementation's limit on the JSON header (100 MB). */
  public static final long MAX_HEADER_SIZE = 100_000_000L;

  /** The dtypes of the format. Reading converts F32, F64, F16 and BF16 to floats or doubles. */
  public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4),
    F32(4), I64(8), U64(8), F64(8);

    private final int size;

    DType(int size) {
      this.size = size;
    }

    /** Bytes per element. */
    public int size() {
      return size;
    }

    /** Whether {@link Tensor#toFloats()} and {@link Tensor#toDoubles()} accept this dtype. */
    public boolean isFloatingPoint() {
      return this == F32 || this == F64 || this == F16 || this == BF16;
    }

    static DType parse(String name) {
      for (DType d : values()) if (d.name().equals(name)) return d;
      return null;
    }
  }

  /** A named tensor: dtype, shape and its little-endian bytes (read-only, position 0). */
  public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {
    public Tensor {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dtype, "dtype");
      shape = shape.clone();
      for (long d : shape) if (d < 0) throw new IllegalArgumentException(name + ": negative dimension in " + Arrays.toString(shape));
      long expected = Safetensors.elements(shape) * dtype.size();
      if (data.remaining() != expected) {
        throw new IllegalArgumentException(name + ": " + data.remaining() + " bytes for shape "
            + Arrays.toString(shape) + " of " + dtype + " (" + expected + " expected)");
      }
      data = data.slice().order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer();
    }

    /** An F32 tensor of {@code values[offset .. offset + Safetensors.elements(shape))}. */
    public static Tensor ofFloats(String name, long[] shape, float[] values, int offset) {
      int n = Math.toIntExact(Safetensors.elements(shape));
      Objects.checkFromIndexSize(offset, n, values.length);
      ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values, offset, n);
      return new Tensor(name, DType.F32, shape, b);
    }

    /** An F64 tensor of {@code values[offset .. offset + Safetensors.elements(shape))}. */
    public static Tensor ofDoubles(String name, long[] shape, double[] values, int offset) {
      int n = Math.toIntExact(Safetensors.elements(shape));
      Objects.checkFromIndexSize(offset, n, values.length);
      ByteBuffer b = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
      b.asDoubleBuffer().put(values, offset, n);
      return new Tensor(name, DType.F64, shape, b);
    }

    @Override
    public long[] shape() {
      return shape.clone();
    }

    @Override
    public ByteBuffer data() {
      return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of elements (1 for a scalar of shape []). */
    public long elements() {
      return Safetensors.elements(shape);
    }

    /** The values as floats: F32 as is, F64 rounded, F16 and BF16 widened. */
    public float[] toFloats() {
      ByteBuffer b = data();
      float[] out = new float[checkedLength()];
      switch (dtype) {
        case F32 -> b.asFloatBuffer().get(out);
        case F64 -> { for (int i = 0; i < out.length; i++) out[i] = (float) b.getDouble(i * 8); }
        case F16 -> { for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(b.getShort(i * 2)); }
        case BF16 -> { for (int i = 0; i < out.length; i++) out[i] = bf16ToFloat(b.getShort(i * 2)); }
        default -> throw unsupported();
      }
      return out;
    }

    /** The values as doubles: F64 as is, F32, F16 and BF16 widened exactly. */
    public double[] toDoubles() {
      ByteBuffer b = data();
      double[] out = new double[checkedLength()];
      switch (dtype) {
        case F64 -> b.asDoubleBuffer().get(out);
        case F32 -> { for (int i = 0; i < out.length; i++) out[i] = b.getFloat(i * 4); }
        case F16 -> { for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(b.getShort(i * 2)); }
        case BF16 -> { for (int i = 0; i < out.length; i++) out[i] = bf16ToFloat(b.getShort(i * 2)); }
        default -> throw unsupported();
      }
      return out;
    }

    private int checkedLength() {
      if (!dtype.isFloatingPoint()) throw unsupported();
      return (int) elements(); // data.remaining() is an int, so the element count is too
    }

    private UnsupportedOperationException unsupported() {
      return new UnsupportedOperationException("tensor " + name + " has dtype " + dtype
          + "; only F32, F64, F16 and BF16 convert to floating point");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t && t.name.equals(name) && t.dtype == dtype
          && Arrays.equals(t.shape, shape) && t.data.equals(data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, dtype, Arrays.hashCode(shape), data);
    }

    @Override
    public String toString() {
      return name + " " + dtype + Arrays.toString(shape);
    }
  }

  /** The contents of a safetensors file: metadata and tensors in data-offset order. */
  public record Contents(Map<String, String> metadata, Map<String, Tensor> tensors) {
    public Contents {
      metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
      tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
  }

  private Safetensors() {}

  static float bf16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }

  static long elements(long[] shape) {
    long n = 1;
    for (long d : shape) n = Math.multiplyExact(n, d);
    return n;
  }

  /** A validated header entry; offsets are relative to the start of the data buffer. */
  private record Entry(String name, DType dtype, long[] shape, long begin, long end) {}

  // ---------------------------------------------------------------- reading

  /** Reads a whole file: the header, then each tensor's bytes straight from the channel. */
  public static Contents read(Path path) throws IOException {
    String source = path.toString();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size < 8) throw error(source, "file is " + size + " bytes, too short for the 8-byte header length at byte 0");
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0, source);
      long n = lenBuf.getLong(0);
      int headerLength = checkHeaderLength(n, size, source);
      ByteBuffer header = ByteBuffer.allocate(headerLength);
      readFully(ch, header, 8, source);
      long dataStart = 8L + headerLength;
      Map<String, String> metadata = new LinkedHashMap<>();
      List<Entry> entries = parseHeader(header.array(), size - dataStart, source, metadata);
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Entry e : entries) {
        long bytes = e.end - e.begin;
        if (bytes > Integer.MAX_VALUE - 8) {
          throw new IOException(source + ": tensor " + e.name + " holds " + bytes
              + " bytes, more than this reader keeps in one buffer (2 GB)");
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes);
        readFully(ch, data, dataStart + e.begin, source);
        data.flip();
        tensors.put(e.name, new Tensor(e.name, e.dtype, e.shape, data));
      }
      return new Contents(metadata, tensors);
    }
  }

  /** Reads safetensors bytes held in memory; {@code source} names them in messages. Tensors share the array. */
  public static Contents read(byte[] bytes, String source) throws SafetensorsFormatException {
    if (bytes.length < 8) throw error(source, "buffer is " + bytes.length + " bytes, too short for the 8-byte header length at byte 0");
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    int headerLength = checkHeaderLength(n, bytes.length, source);
    byte[] header = Arrays.copyOfRange(bytes, 8, 8 + headerLength);
    int dataStart = 8 + headerLength;
    Map<String, String> metadata = new LinkedHashMap<>();
    List<Entry> entries = parseHeader(header, bytes.length - dataStart, source, metadata);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (Entry e : entries) {
      ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) e.begin, (int) (e.end - e.begin));
      tensors.put(e.name, new Tensor(e.name, e.dtype, e.shape, data));
    }
    return new Contents(metadata, tensors);
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position, String source) throws IOException {
    long p = position;
    while (buf.hasRemaining()) {
      int r = ch.read(buf, p);
      if (r < 0) throw new EOFException(source + ": file ended at byte " + p + " while reading (it shrank?)");
      p += r;
    }
  }

  private static int checkHeaderLength(long n, long size, String source) throws SafetensorsFormatException {
    if (n < 0 || n > MAX_HEADER_SIZE) {
      throw error(source, "header length " + Long.toUnsignedString(n) + " (bytes 0-7) exceeds the limit of "
          + MAX_HEADER_SIZE + " bytes");
    }
    if (n > size - 8) {
      throw error(source, "header length " + n + " (bytes 0-7) runs past the end: only " + (size - 8)
          + " bytes follow the length");
    }
    return (int) n;
  }

  private static List<Entry> parseHeader(byte[] header, long dataLength, String source, Map<String, String> metadata)
      throws SafetensorsFormatException {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(header))
          .toString();
    } catch (CharacterCodingException e) {
      throw error(source, "header (bytes 8-" + (8 + header.length) + ") is not valid UTF-8 near byte "
          + (8 + firstInvalidUtf8(header)));
    }
    if (text.isEmpty() || text.charAt(0) != '{') {
      throw error(source, "header does not start with '{' at byte 8");
    }
    Object root;
    try {
      root = Json.parse(text);
    } catch (Json.JsonException e) {
      throw error(source, "header is not valid JSON: " + e.getMessage() + " (byte "
          + (8 + utf8Length(text, e.index)) + ")");
    }
    if (!(root instanceof Map<?, ?> map)) throw error(source, "header is not a JSON object");

    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<?, ?> me : map.entrySet()) {
      String name = (String) me.getKey();
      Object v = me.getValue();
      if (name.equals("__metadata__")) {
        if (!(v instanceof Map<?, ?> m)) throw error(source, "__metadata__ is not a JSON object");
        for (Map.Entry<?, ?> kv : m.entrySet()) {
          if (!(kv.getValue() instanceof String s)) {
            throw error(source, "__metadata__ value of \"" + kv.getKey() + "\" is not a string");
          }
          metadata.put((String) kv.getKey(), s);
        }
        continue;
      }
      entries.add(entry(name, v, source));
    }

    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long expected = 0;
    for (Entry e : entries) {
      if (e.begin != expected) {
        String what = e.begin < expected ? "overlaps the previous tensor, which ends at " : "leaves a gap after the previous tensor, which ends at ";
        throw error(source, "tensor " + e.name + ": data_offsets begin " + e.begin + " " + what + expected
            + " (tensors must be contiguous from 0, sorted by offset)");
      }
      expected = e.end;
    }
    if (expected != dataLength) {
      throw error(source, "tensors cover " + expected + " bytes of data but the data buffer holds "
          + dataLength + " bytes (byte " + (8 + header.length) + " to the end)");
    }
    return entries;
  }

  private static Entry entry(String name, Object v, String source) throws SafetensorsFormatException {
    if (!(v instanceof Map<?, ?> m)) throw error(source, "tensor " + name + ": entry is not a JSON object");
    for (Object key : m.keySet()) {
      if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
        throw error(source, "tensor " + name + ": unknown field \"" + key + "\"");
      }
    }
    Object d = m.get("dtype");
    if (d == null) throw error(source, "tensor " + name + ": missing dtype");
    if (!(d instanceof String ds)) throw error(source, "tensor " + name + ": dtype is not a string");
    DType dtype = DType.parse(ds);
    if (dtype == null) {
      throw error(source, "tensor " + name + ": unknown dtype \"" + ds + "\" (known: " + Arrays.toString(DType.values()) + ")");
    }
    Object s = m.get("shape");
    if (s == null) throw error(source, "tensor " + name + ": missing shape");
    if (!(s instanceof List<?> sl)) throw error(source, "tensor " + name + ": shape is not an array");
    long[] shape = new long[sl.size()];
    for (int k = 0; k < shape.length; k++) shape[k] = nonNegative(sl.get(k), name, "shape", source);
    Object o = m.get("data_offsets");
    if (o == null) throw error(source, "tensor " + name + ": missing data_offsets");
    if (!(o instanceof List<?> ol) || ol.size() != 2) {
      throw error(source, "tensor " + name + ": data_offsets is not an array of two integers");
    }
    long begin = nonNegative(ol.get(0), name, "data_offsets", source);
    long end = nonNegative(ol.get(1), name, "data_offsets", source);
    if (begin > end) throw error(source, "tensor " + name + ": data_offsets begin " + begin + " > end " + end);
    long bytes;
    try {
      bytes = Math.multiplyExact(elements(shape), (long) dtype.size());
    } catch (ArithmeticException e) {
      throw error(source, "tensor " + name + ": shape " + Arrays.toString(shape) + " overflows 64-bit sizes");
    }
    if (end - begin != bytes) {
      throw error(source, "tensor " + name + ": data_offsets [" + begin + ", " + end + "] span " + (end - begin)
          + " bytes but shape " + Arrays.toString(shape) + " of " + dtype + " needs " + bytes);
    }
    return new Entry(name, dtype, shape, begin, end);
  }

  private static long nonNegative(Object v, String name, String field, String source) throws SafetensorsFormatException {
    if (!(v instanceof BigInteger b)) throw error(source, "tensor " + name + ": " + field + " holds " + describe(v) + ", not an integer");
    if (b.signum() < 0) throw error(source, "tensor " + name + ": " + field + " holds negative " + b);
    if (b.bitLength() > 63) throw error(source, "tensor " + name + ": " + field + " holds " + b + ", beyond 64-bit sizes");
    return b.longValue();
  }

  private static String describe(Object v) {
    if (v instanceof String) return "a string";
    if (v instanceof Double) return "the non-integer " + v;
    if (v instanceof Map) return "an object";
    if (v instanceof List) return "an array";
    return String.valueOf(v);
  }

  private static int utf8Length(String s, int chars) {
    return s.substring(0, Math.min(chars, s.length())).getBytes(StandardCharsets.UTF_8).length;
  }

  private static int firstInvalidUtf8(byte[] b) {
    var dec = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(b);
    var out = java.nio.CharBuffer.allocate(b.length + 1);
    var r = dec.decode(in, out, true);
    return r.isError() ? in.position() : b.length;
  }

  private static SafetensorsFormatException error(String source, String what) {
    return new SafetensorsFormatException(source + ": " + what);
  }

  // ---------------------------------------------------------------- writing

  /** The header {@link #write} produces for these tensors, padded with spaces to a multiple of 8 bytes. */
  static byte[] header(Map<String, String> metadata, List<Tensor> tensors) {
    StringBuilder b = new StringBuilder("{");
    if (!metadata.isEmpty()) {
      b.append("\"__metadata__\":{");
      String sep = "";
      for (Map.Entry<String, String> e : metadata.entrySet()) {
        b.append(sep);
        quote(b, e.getKey()).append(':');
        quote(b, e.getValue());
        sep = ",";
      }
      b.append('}');
    }
    long offset = 0;
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Tensor t : tensors) {
      if (t.name().equals("__metadata__")) throw new IllegalArgumentException("a tensor cannot be named __metadata__");
      if (!names.add(t.name())) throw new IllegalArgumentException("duplicate tensor name " + t.name());
      if (b.length() > 1) b.append(',');
      quote(b, t.name()).append(":{\"dtype\":\"").append(t.dtype().name()).append("\",\"shape\":[");
      long[] shape = t.shape();
      for (int k = 0; k < shape.length; k++) b.append(k == 0 ? "" : ",").append(shape[k]);
      long end = offset + t.data.remaining();
      b.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
      offset = end;
    }
    b.append('}');
    byte[] json = b.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) & ~7;
    byte[] out = Arrays.copyOf(json, padded);
    Arrays.fill(out, json.length, padded, (byte) ' ');
    return out;
  }

  private static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"');
  }

  /**
   * Writes the tensors, in the given order and contiguous, after a header with {@code metadata}
   * (left out when empty). Does not close the channel.
   */
  public static void write(WritableByteChannel out, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
    byte[] header = header(metadata, tensors);
    if (header.length > MAX_HEADER_SIZE) throw new IOException("header of " + header.length + " bytes exceeds " + MAX_HEADER_SIZE);
    ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
    writeFully(out, len);
    writeFully(out, ByteBuffer.wrap(header));
    for (Tensor t : tensors) writeFully(out, t.data());
  }

  /**
   * Writes a safetensors file atomically (see {@link AtomicFiles#write}): after a crash or an
   * exception, {@code path} holds either its previous contents or the complete new file.
   */
  public static void write(Path path, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
    AtomicFiles.write(path, ch -> write(ch, metadata, tensors));
  }

  private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) out.write(b);
  }
}
