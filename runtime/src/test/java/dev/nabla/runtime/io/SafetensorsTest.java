package dev.nabla.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The safetensors reader's validation rules (one malformed file each) and round trips. */
class SafetensorsTest {

  @TempDir Path dir;

  /** An 8-byte length, the header text as given (unpadded), then the data. */
  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return file(h.length, h, data);
  }

  static byte[] file(long declaredLength, byte[] header, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(declaredLength).put(header).put(data);
    return b.array();
  }

  static String f32(String name, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"F32\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
  }

  static Stream<Arguments> malformed() {
    byte[] eight = new byte[8];
    return Stream.of(
        Arguments.of("shorter than the length", new byte[] {1, 0, 0}, "too short for the 8-byte header length at byte 0"),
        Arguments.of("header over 100 MB", file(100_000_001L, new byte[0], new byte[0]), "header length 100000001 (bytes 0-7) exceeds the limit of 100000000"),
        Arguments.of("header length negative as signed", file(-1L, new byte[0], new byte[0]), "header length 18446744073709551615 (bytes 0-7) exceeds the limit"),
        Arguments.of("header past the end", file(64, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]), "header length 64 (bytes 0-7) runs past the end: only 2 bytes follow"),
        Arguments.of("invalid UTF-8", file(4, new byte[] {'{', (byte) 0xC3, '(', '}'}, new byte[0]), "not valid UTF-8 near byte 9"),
        Arguments.of("not an object", file("[1]", new byte[0]), "header does not start with '{' at byte 8"),
        Arguments.of("empty header", file("", new byte[0]), "header does not start with '{' at byte 8"),
        Arguments.of("trailing garbage", file("{} x", new byte[0]), "trailing characters after the JSON value at character 3 (byte 11)"),
        Arguments.of("duplicate tensor", file("{" + f32("a", "[2]", 0, 8) + "," + f32("a", "[2]", 0, 8) + "}", eight), "duplicate key \"a\""),
        Arguments.of("syntax error", file("{\"a\":{\"dtype\":\"F32\",,}}", new byte[0]), "header is not valid JSON: expected a string key at character 20 (byte 28)"),
        Arguments.of("bad escape", file("{\"\\x\":{}}", new byte[0]), "invalid escape 'x'"),
        Arguments.of("lone surrogate", file("{\"\\ud800\":{}}", new byte[0]), "lone high surrogate escape"),
        Arguments.of("control character", file("{\"a\nb\":{}}", new byte[0]), "unescaped control character U+000A"),
        Arguments.of("leading zero", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[01],\"data_offsets\":[0,4]}}", new byte[4]), "leading zero"),
        Arguments.of("deep nesting", file("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", new byte[0]), "nesting deeper than 64"),
        Arguments.of("entry not an object", file("{\"a\":1}", new byte[0]), "tensor a: entry is not a JSON object"),
        Arguments.of("missing dtype", file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor a: missing dtype"),
        Arguments.of("missing shape", file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]), "tensor a: missing shape"),
        Arguments.of("missing offsets", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]), "tensor a: missing data_offsets"),
        Arguments.of("unknown field", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", new byte[4]), "tensor a: unknown field \"x\""),
        Arguments.of("dtype not a string", file("{\"a\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor a: dtype is not a string"),
        Arguments.of("unknown dtype", file("{\"a\":{\"dtype\":\"F33\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]), "tensor a: unknown dtype \"F33\""),
        Arguments.of("shape not an array", file("{\"a\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", new byte[4]), "tensor a: shape is not an array"),
        Arguments.of("negative dimension", file("{" + f32("a", "[-1]", 0, 4) + "}", new byte[4]), "tensor a: shape holds negative -1"),
        Arguments.of("fractional dimension", file("{" + f32("a", "[1.5]", 0, 4) + "}", new byte[4]), "tensor a: shape holds the non-integer 1.5, not an integer"),
        Arguments.of("string dimension", file("{" + f32("a", "[\"1\"]", 0, 4) + "}", new byte[4]), "tensor a: shape holds a string, not an integer"),
        Arguments.of("dimension beyond 64 bits", file("{" + f32("a", "[9223372036854775808]", 0, 4) + "}", new byte[4]), "beyond 64-bit sizes"),
        Arguments.of("one offset", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", new byte[4]), "tensor a: data_offsets is not an array of two integers"),
        Arguments.of("begin after end", file("{" + f32("a", "[0]", 4, 0) + "}", new byte[4]), "tensor a: data_offsets begin 4 > end 0"),
        Arguments.of("size does not fit the shape", file("{" + f32("a", "[3]", 0, 8) + "}", eight), "tensor a: data_offsets [0, 8] span 8 bytes but shape [3] of F32 needs 12"),
        Arguments.of("shape overflows", file("{" + f32("a", "[4611686018427387904,4]", 0, 0) + "}", new byte[0]), "tensor a: shape [4611686018427387904, 4] overflows 64-bit sizes"),
        Arguments.of("gap before the first", file("{" + f32("a", "[1]", 4, 8) + "}", eight), "tensor a: data_offsets begin 4 leaves a gap after the previous tensor, which ends at 0"),
        Arguments.of("gap between", file("{" + f32("a", "[1]", 0, 4) + "," + f32("b", "[1]", 8, 12) + "}", new byte[12]), "tensor b: data_offsets begin 8 leaves a gap"),
        Arguments.of("overlap", file("{" + f32("a", "[2]", 0, 8) + "," + f32("b", "[1]", 4, 8) + "}", eight), "tensor b: data_offsets begin 4 overlaps the previous tensor, which ends at 8"),
        Arguments.of("data left over", file("{" + f32("a", "[1]", 0, 4) + "}", eight), "tensors cover 4 bytes of data but the data buffer holds 8 bytes (byte 62 to the end)"),
        Arguments.of("data too short", file("{" + f32("a", "[2]", 0, 8) + "}", new byte[4]), "tensors cover 8 bytes of data but the data buffer holds 4 bytes"),
        Arguments.of("metadata not an object", file("{\"__metadata__\":[]}", new byte[0]), "__metadata__ is not a JSON object"),
        Arguments.of("metadata value not a string", file("{\"__metadata__\":{\"epoch\":3}}", new byte[0]), "__metadata__ value of \"epoch\" is not a string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void rejectsMalformedFilesNamingTheProblem(String what, byte[] bytes, String message) throws IOException {
    Path path = dir.resolve("bad.safetensors");
    Files.write(path, bytes);
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(path));
    assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());

    SafetensorsFormatException m = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(bytes, "mem"));
    assertEquals(e.getMessage().substring(path.toString().length()), m.getMessage().substring(3).replace("buffer is", "file is"));
  }

  @Test
  void readsEveryFloatDtypeAndKeepsMetadata() throws IOException {
    ByteBuffer data = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    data.putDouble(1.5).putDouble(-2.25);                   // a: F64 [2]
    data.putShort(Float.floatToFloat16(0.5f)).putShort(Float.floatToFloat16(-3f)); // b: F16 [2, 1]
    data.putShort((short) (Float.floatToRawIntBits(1.0f) >>> 16));                 // c: BF16 [1]
    data.putLong(7);                                       // d: I64 []
    String header = "{\"__metadata__\":{\"format\":\"pt\",\"note\":\"\\u00e9\\\"\"},"
        + "\"d\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[22,30]},"
        + "\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
        + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[20,22]},"
        + "\"b\":{\"dtype\":\"F16\",\"shape\":[2,1],\"data_offsets\":[16,20]},"
        + "\"e\":{\"dtype\":\"U8\",\"shape\":[0,3],\"data_offsets\":[30,30]}}   ";
    Path path = dir.resolve("all.safetensors");
    Files.write(path, file(header, data.array()));
    Safetensors.Contents c = Safetensors.read(path);
    assertEquals(Map.of("format", "pt", "note", "é\""), c.metadata());
    assertEquals(List.of("a", "b", "c", "d", "e"), List.copyOf(c.tensors().keySet()), "data-offset order");
    assertArrayEquals(new float[] {1.5f, -2.25f}, c.tensors().get("a").toFloats());
    assertArrayEquals(new double[] {1.5, -2.25}, c.tensors().get("a").toDoubles());
    assertArrayEquals(new float[] {0.5f, -3f}, c.tensors().get("b").toFloats());
    assertArrayEquals(new long[] {2, 1}, c.tensors().get("b").shape());
    assertArrayEquals(new float[] {1f}, c.tensors().get("c").toFloats());
    assertEquals(1, c.tensors().get("d").elements());
    assertEquals(0, c.tensors().get("e").elements());
    UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class, () -> c.tensors().get("d").toFloats());
    assertTrue(u.getMessage().contains("tensor d has dtype I64"), u.getMessage());
    assertEquals(c, Safetensors.read(Files.readAllBytes(path), "mem"));
  }

  @Test
  void roundTripsF32AndF64() throws IOException {
    float[] f = {1f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 3.25f};
    double[] d = {Math.PI, -Double.MIN_VALUE, Double.MAX_VALUE, 1e-300};
    List<Safetensors.Tensor> tensors = List.of(
        Safetensors.Tensor.ofFloats("layer.weight", new long[] {2, 3}, f, 1),
        Safetensors.Tensor.ofDoubles("layer.bias", new long[] {4}, d, 0),
        Safetensors.Tensor.ofFloats("empty", new long[] {0, 5}, f, 0),
        Safetensors.Tensor.ofFloats("scalar", new long[] {}, f, 6));
    Path path = dir.resolve("rt.safetensors");
    Safetensors.write(path, Map.of("k", "v\n\u0001"), tensors);
    Safetensors.Contents c = Safetensors.read(path);
    assertEquals(Map.of("k", "v\n\u0001"), c.metadata());
    assertEquals(List.of("layer.weight", "layer.bias", "empty", "scalar"), List.copyOf(c.tensors().keySet()));
    for (Safetensors.Tensor t : tensors) assertEquals(t, c.tensors().get(t.name()));
    assertArrayEquals(java.util.Arrays.copyOfRange(f, 1, 7), c.tensors().get("layer.weight").toFloats());
    assertArrayEquals(d, c.tensors().get("layer.bias").toDoubles());
    assertArrayEquals(new float[] {3.25f}, c.tensors().get("scalar").toFloats());
    assertEquals(0, (Files.size(path) - 8 - 8 * 4 - 7 * 4 + 4 * 4) % 8, "header padded to 8 bytes");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Safetensors.write(Channels.newChannel(out), Map.of(), tensors.subList(0, 1));
    byte[] bytes = out.toByteArray();
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8);
    assertEquals("{\"layer.weight\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}",
        new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip());
  }

  @Test
  void writerRejectsDuplicateAndReservedNames() {
    float[] v = {1};
    var a = Safetensors.Tensor.ofFloats("a", new long[] {1}, v, 0);
    var meta = Safetensors.Tensor.ofFloats("__metadata__", new long[] {1}, v, 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThrows(IllegalArgumentException.class, () -> Safetensors.write(Channels.newChannel(out), Map.of(), List.of(a, a)));
    assertThrows(IllegalArgumentException.class, () -> Safetensors.write(Channels.newChannel(out), Map.of(), List.of(meta)));
  }

  @Test
  void hugeDeclaredShapeCoveredByNoDataIsRejectedWithoutAllocating() {
    // 2^40 floats declared, but the file is tiny: the size check fails before anything is allocated.
    byte[] bytes = file("{" + f32("a", "[1099511627776]", 0, 4398046511104L) + "}", new byte[0]);
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Safetensors.read(bytes, "mem"));
    assertTrue(e.getMessage().contains("tensors cover 4398046511104 bytes of data but the data buffer holds 0"), e.getMessage());
  }
}
