package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.io.Safetensors;
import dev.nabla.runtime.io.WeightsMismatchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated model against PyTorch: loads the state_dict that runtime/src/test/resources/interop/
 * mlp_interop.py saved from torch and predicts what torch computed; saves the same bytes back.
 */
class SafetensorsInteropTest {

  /** The committed outputs of the script, in the runtime module next to it (tests run in samples/). */
  static final Path INTEROP = Path.of("").toAbsolutePath().resolveSibling("runtime")
      .resolve("src/test/resources/interop");

  @TempDir Path dir;

  /** "input" and "output" arrays of mlp_forward.json. */
  static double[] forward(String key) throws IOException {
    String json = Files.readString(INTEROP.resolve("mlp_forward.json"));
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
    assertTrue(m.find(), key + " in mlp_forward.json");
    List<Double> values = new ArrayList<>();
    for (String s : m.group(1).split(",")) values.add(Double.parseDouble(s.strip()));
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Test
  void floatModelLoadsTheTorchStateDictAndPredictsWhatTorchComputed() throws IOException {
    InteropMlpModel net = InteropMlpModel.create(1);
    net.load(INTEROP.resolve("mlp_torch.safetensors"));
    double[] x = forward("input");
    double[] torch = forward("output");
    float[] xf = new float[x.length];
    for (int i = 0; i < x.length; i++) xf[i] = (float) x[i];
    float[] y = net.predict(xf);
    assertEquals(torch.length, y.length);
    for (int i = 0; i < y.length; i++) assertEquals(torch[i], y[i], 1e-5, "output " + i);

    // Saved back, the bytes are the ones torch's side wrote: same names, shapes, order and data.
    Path ours = dir.resolve("ours.safetensors");
    net.save(ours);
    assertArrayEquals(Files.readAllBytes(INTEROP.resolve("mlp_torch.safetensors")), Files.readAllBytes(ours));
  }

  @Test
  void doubleModelLoadsTheTorchStateDictAndPredictsWhatTorchComputed() throws IOException {
    InteropMlpModelF64 net = InteropMlpModelF64.create(1);
    net.load(INTEROP.resolve("mlp_torch.safetensors"));
    double[] y = net.predict(forward("input"));
    double[] torch = forward("output");
    for (int i = 0; i < y.length; i++) assertEquals(torch[i], y[i], 1e-5, "output " + i);

    Path ours = dir.resolve("ours64.safetensors");
    net.save(ours);
    Safetensors.Contents c = Safetensors.read(ours);
    assertEquals(List.of("hidden1.weight", "hidden1.bias", "logits.weight", "logits.bias"), List.copyOf(c.tensors().keySet()));
    assertEquals(Safetensors.DType.F64, c.tensors().get("hidden1.weight").dtype());
    InteropMlpModel back = InteropMlpModel.create(2);
    back.load(ours);
    InteropMlpModel torchWeights = InteropMlpModel.create(3);
    torchWeights.load(INTEROP.resolve("mlp_torch.safetensors"));
    assertArrayEquals(torchWeights.parameters(), back.parameters());
  }

  @Test
  void aModelOfAnotherShapeRefusesTheFileNamingTheTensor() throws IOException {
    DigitNetModel other = DigitNetModel.create(1);
    float[] before = other.parameters().clone();
    WeightsMismatchException e = assertThrows(WeightsMismatchException.class,
        () -> other.load(INTEROP.resolve("mlp_torch.safetensors")));
    assertTrue(e.getMessage().contains("tensor hidden1.weight has shape [5, 6], expected [16, 784]"), e.getMessage());
    assertTrue(e.getMessage().contains("missing tensors [hidden2.weight, hidden2.bias]"), e.getMessage());
    assertArrayEquals(before, other.parameters());
    assertEquals(Map.of("format", "pt"), Safetensors.read(INTEROP.resolve("mlp_torch.safetensors")).metadata());
  }
}
