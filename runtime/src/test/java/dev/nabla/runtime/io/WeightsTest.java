package dev.nabla.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.ParameterSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saving and loading model parameters: round trips in both precisions, mismatch messages, atomic
 * replacement, and interop with PyTorch (the golden file written by interop/mlp_interop.py).
 */
class WeightsTest {

  @TempDir Path dir;

  static StubNets.F32 fixedMlp() {
    return new StubNets.F32(StubNets.MLP, StubNets.fixedFloats(StubNets.MLP, StubNets.MLP_SIZE));
  }

  static StubNets.F32 zeroMlp() {
    return new StubNets.F32(StubNets.MLP, new float[StubNets.MLP_SIZE]);
  }

  static byte[] resource(String name) throws IOException {
    try (InputStream in = WeightsTest.class.getResourceAsStream(name)) {
      if (in == null) throw new IOException("missing test resource " + name);
      return in.readAllBytes();
    }
  }

  @Test
  void floatModelRoundTripsThroughTheNetworkMethods() throws IOException {
    StubNets.F32 a = fixedMlp();
    a.params[7] = 0.1f;
    a.params[52] = -1e-30f;
    Path path = dir.resolve("mlp.safetensors");
    a.save(path);
    StubNets.F32 b = zeroMlp();
    b.load(path);
    assertArrayEquals(a.params, b.params);
    Safetensors.Contents c = Safetensors.read(path);
    assertEquals(Map.of("format", "pt"), c.metadata());
    assertEquals(Safetensors.DType.F32, c.tensors().get("hidden1.weight").dtype());
    assertArrayEquals(new long[] {5, 6}, c.tensors().get("hidden1.weight").shape());
  }

  @Test
  void doubleModelRoundTripsAndCrossesPrecisions() throws IOException {
    StubNets.F64 a = new StubNets.F64(StubNets.MLP, StubNets.fixedDoubles(StubNets.MLP, StubNets.MLP_SIZE));
    a.params[3] = Math.PI;
    Path f64 = dir.resolve("f64.safetensors");
    a.save(f64);
    assertEquals(Safetensors.DType.F64, Safetensors.read(f64).tensors().get("logits.bias").dtype());
    StubNets.F64 b = new StubNets.F64(StubNets.MLP, new double[StubNets.MLP_SIZE]);
    b.load(f64);
    assertArrayEquals(a.params, b.params);

    StubNets.F32 rounded = zeroMlp();
    rounded.load(f64); // F64 into a float model: rounded
    for (int i = 0; i < a.params.length; i++) assertEquals((float) a.params[i], rounded.params[i], 0f);

    Path f32 = dir.resolve("f32.safetensors");
    rounded.save(f32);
    StubNets.F64 widened = new StubNets.F64(StubNets.MLP, new double[StubNets.MLP_SIZE]);
    widened.load(f32); // F32 into a double model: exact
    for (int i = 0; i < a.params.length; i++) assertEquals(rounded.params[i], widened.params[i], 0.0);
  }

  @Test
  void loadsHalfPrecisionTensors() throws IOException {
    List<ParameterSpec> specs = List.of(new ParameterSpec("h", new int[] {2}, 0), new ParameterSpec("b", new int[] {1}, 2));
    ByteBuffer h = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
        .putShort(Float.floatToFloat16(0.75f)).putShort(Float.floatToFloat16(-2f)).flip();
    ByteBuffer b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) (Float.floatToRawIntBits(-1.5f) >>> 16)).flip();
    Path path = dir.resolve("half.safetensors");
    Safetensors.write(path, Map.of(), List.of(
        new Safetensors.Tensor("h", Safetensors.DType.F16, new long[] {2}, h),
        new Safetensors.Tensor("b", Safetensors.DType.BF16, new long[] {1}, b)));
    StubNets.F32 net = new StubNets.F32(specs, new float[3]);
    net.load(path);
    assertArrayEquals(new float[] {0.75f, -2f, -1.5f}, net.params);
  }

  /** Writes the MLP's tensors with one replaced (or dropped, if replacement is null) and extras appended. */
  Path mlpFileWith(String name, Safetensors.Tensor replacement, Safetensors.Tensor... extra) throws IOException {
    StubNets.F32 a = fixedMlp();
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (ParameterSpec s : StubNets.MLP) {
      long[] shape = java.util.Arrays.stream(s.shape()).asLongStream().toArray();
      if (!s.name().equals(name)) tensors.add(Safetensors.Tensor.ofFloats(s.name(), shape, a.params, s.offset()));
      else if (replacement != null) tensors.add(replacement);
    }
    tensors.addAll(List.of(extra));
    Path path = dir.resolve("variant.safetensors");
    Safetensors.write(path, Map.of(), tensors);
    return path;
  }

  @Test
  void shapeMismatchNamesTheTensorTheExpectedAndTheActualShapeAndLoadsNothing() throws IOException {
    Path path = mlpFileWith("hidden1.weight", Safetensors.Tensor.ofFloats("hidden1.weight", new long[] {6, 5}, new float[30], 0));
    StubNets.F32 net = zeroMlp();
    WeightsMismatchException e = assertThrows(WeightsMismatchException.class, () -> net.load(path));
    assertTrue(e.getMessage().contains("tensor hidden1.weight has shape [6, 5], expected [5, 6]"), e.getMessage());
    assertTrue(e.getMessage().startsWith(path + " does not fit the model"), e.getMessage());
    assertArrayEquals(new float[StubNets.MLP_SIZE], net.params, "nothing loaded");
  }

  @Test
  void missingAndUnexpectedTensorsAreNamed() throws IOException {
    Path path = mlpFileWith("logits.bias", null, Safetensors.Tensor.ofFloats("logits.scale", new long[] {3}, new float[3], 0));
    StubNets.F32 net = zeroMlp();
    WeightsMismatchException e = assertThrows(WeightsMismatchException.class, () -> net.load(path));
    assertTrue(e.getMessage().contains("missing tensors [logits.bias]"), e.getMessage());
    assertTrue(e.getMessage().contains("unexpected tensors [logits.scale]"), e.getMessage());
    assertArrayEquals(new float[StubNets.MLP_SIZE], net.params, "nothing loaded");
  }

  @Test
  void integerTensorIsRejectedByDtype() throws IOException {
    Path path = mlpFileWith("logits.bias", new Safetensors.Tensor("logits.bias", Safetensors.DType.I32, new long[] {3}, ByteBuffer.allocate(12)));
    WeightsMismatchException e = assertThrows(WeightsMismatchException.class, () -> zeroMlp().load(path));
    assertTrue(e.getMessage().contains("tensor logits.bias has dtype I32, expected F32, F64, F16 or BF16"), e.getMessage());
  }

  @Test
  void malformedFileIsAFormatErrorNamingTheFile() throws IOException {
    Path path = dir.resolve("junk.safetensors");
    Files.write(path, new byte[] {1, 2, 3});
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> zeroMlp().load(path));
    assertTrue(e.getMessage().startsWith(path.toString()), e.getMessage());
  }

  // ------------------------------------------------------------------ atomic save

  private void assertOnlyFile(Path expected) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(expected.getFileName()), s.map(Path::getFileName).toList(), "no temporary file left");
    }
  }

  @Test
  void failedWriteLeavesThePreviousFileByteIdentical() throws IOException {
    Path path = dir.resolve("model.safetensors");
    fixedMlp().save(path);
    byte[] before = Files.readAllBytes(path);
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(path, ch -> {
      ch.write(ByteBuffer.wrap(new byte[] {9, 9, 9, 9}));
      throw new IOException("simulated disk full");
    }));
    assertEquals("simulated disk full", e.getMessage());
    assertArrayEquals(before, Files.readAllBytes(path));
    assertOnlyFile(path);

    assertThrows(IllegalStateException.class, () -> AtomicFiles.write(path, ch -> {
      ch.write(ByteBuffer.wrap(new byte[100]));
      throw new IllegalStateException("simulated crash");
    }));
    assertArrayEquals(before, Files.readAllBytes(path));
    assertOnlyFile(path);
  }

  @Test
  void failureAfterTheHeaderOfASaveLeavesThePreviousFileByteIdentical() throws IOException {
    Path path = dir.resolve("model.safetensors");
    fixedMlp().save(path);
    byte[] before = Files.readAllBytes(path);
    // Tensors whose second traversal (the data, after the header has gone out) fails part-way.
    List<Safetensors.Tensor> good = new ArrayList<>();
    for (ParameterSpec s : StubNets.MLP) {
      good.add(Safetensors.Tensor.ofFloats(s.name(), java.util.Arrays.stream(s.shape()).asLongStream().toArray(), new float[StubNets.MLP_SIZE], s.offset()));
    }
    List<Safetensors.Tensor> failing = new java.util.AbstractList<>() {
      int traversals;

      @Override public Safetensors.Tensor get(int i) { return good.get(i); }
      @Override public int size() { return good.size(); }

      @Override
      public Iterator<Safetensors.Tensor> iterator() {
        Iterator<Safetensors.Tensor> it = good.iterator();
        boolean fail = ++traversals == 2;
        return new Iterator<>() {
          int n;
          @Override public boolean hasNext() { return it.hasNext(); }
          @Override public Safetensors.Tensor next() {
            if (fail && ++n == 3) throw new IllegalStateException("simulated failure mid-save");
            return it.next();
          }
        };
      }
    };
    assertThrows(IllegalStateException.class, () -> Safetensors.write(path, Weights.METADATA, failing));
    assertArrayEquals(before, Files.readAllBytes(path));
    assertOnlyFile(path);
    // The same list written whole replaces the file.
    Safetensors.write(path, Weights.METADATA, good);
    assertEquals(Safetensors.read(path).tensors().keySet(), Safetensors.read(before, "before").tensors().keySet());
    assertOnlyFile(path);
  }

  @Test
  void saveReplacesAnExistingFile() throws IOException {
    Path path = dir.resolve("model.safetensors");
    Files.writeString(path, "old contents");
    fixedMlp().save(path);
    StubNets.F32 b = zeroMlp();
    b.load(path);
    assertArrayEquals(fixedMlp().params, b.params);
    assertOnlyFile(path);
  }

  // ------------------------------------------------------------------ PyTorch interop

  /** Our bytes for the fixed weights equal the file the PyTorch script saved from its state_dict. */
  @Test
  void ourFileIsByteIdenticalToTheOneSavedFromPyTorch() throws IOException {
    Path ours = dir.resolve("ours.safetensors");
    fixedMlp().save(ours);
    assertArrayEquals(resource("/interop/mlp_torch.safetensors"), Files.readAllBytes(ours));
  }

  @Test
  void loadsTheStateDictSavedFromPyTorch() throws IOException {
    Path torch = dir.resolve("torch.safetensors");
    Files.write(torch, resource("/interop/mlp_torch.safetensors"));
    StubNets.F32 net = zeroMlp();
    net.load(torch);
    assertArrayEquals(fixedMlp().params, net.params);
  }

  /** Runs the script's check (torch.load_state_dict, strict) on our files when python3 with torch is here. */
  @Test
  void pyTorchLoadsOurFiles() throws IOException, InterruptedException, URISyntaxException {
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    Assumptions.assumeTrue(run(List.of(python, "-c", "import torch"), new StringBuilder()) == 0, "python3 with torch not available");
    Path script = Path.of(WeightsTest.class.getResource("/interop/mlp_interop.py").toURI());
    Path f32 = dir.resolve("ours-f32.safetensors");
    fixedMlp().save(f32);
    Path f64 = dir.resolve("ours-f64.safetensors");
    new StubNets.F64(StubNets.MLP, StubNets.fixedDoubles(StubNets.MLP, StubNets.MLP_SIZE)).save(f64);
    for (Path p : List.of(f32, f64)) {
      StringBuilder out = new StringBuilder();
      int rc = run(List.of(python, script.toString(), "check", p.toString()), out);
      assertEquals(0, rc, "torch check of " + p.getFileName() + ": " + out);
      assertTrue(out.toString().startsWith("ok: 4 tensors"), out.toString());
    }
  }

  private static int run(List<String> command, StringBuilder output) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return -1; // no such interpreter
    }
    output.append(new String(p.getInputStream().readAllBytes()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
