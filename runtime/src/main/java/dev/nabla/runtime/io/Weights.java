package dev.nabla.runtime.io;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import dev.nabla.runtime.ParameterSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Saves and loads a model's parameters as safetensors with PyTorch's names and layouts
 * ({@code hidden1.weight} of shape (out, in), {@code hidden1.bias} of shape (out)), so that a
 * PyTorch {@code state_dict} saved with {@code safetensors.torch.save_file} loads here and a file
 * saved here loads with {@code safetensors.torch.load_file} and {@code load_state_dict}.
 *
 * <p>Float models save F32 and double models F64; either loads F32, F64, F16 or BF16 tensors. A load
 * changes nothing unless every tensor the model expects is present with its shape and no other
 * tensor is; otherwise it throws {@link WeightsMismatchException} naming each offending tensor (and
 * for a wrong shape, the expected and the actual one). Saves are atomic ({@link AtomicFiles}).
 */
public final class Weights {

  /** Metadata written with every file; {@code format: pt} is what PyTorch-side tools look for. */
  public static final Map<String, String> METADATA = Map.of("format", "pt");

  private Weights() {}

  /** Saves a float model's parameters as F32 tensors. */
  public static void save(Network net, Path path) throws IOException {
    float[] p = net.parameters();
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (ParameterSpec s : net.parameterSpecs()) {
      tensors.add(Safetensors.Tensor.ofFloats(s.name(), longs(s.shape()), p, s.offset()));
    }
    Safetensors.write(path, METADATA, tensors);
  }

  /** Saves a double model's parameters as F64 tensors. */
  public static void save(NetworkF64 net, Path path) throws IOException {
    double[] p = net.parameters();
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    for (ParameterSpec s : net.parameterSpecs()) {
      tensors.add(Safetensors.Tensor.ofDoubles(s.name(), longs(s.shape()), p, s.offset()));
    }
    Safetensors.write(path, METADATA, tensors);
  }

  /** Loads a float model's parameters; F64 tensors are rounded to float. */
  public static void load(Network net, Path path) throws IOException {
    Map<ParameterSpec, Safetensors.Tensor> matched = match(net.parameterSpecs(), path);
    List<float[]> values = new ArrayList<>();
    for (Safetensors.Tensor t : matched.values()) values.add(t.toFloats());
    float[] p = net.parameters();
    int k = 0;
    for (ParameterSpec s : matched.keySet()) {
      float[] v = values.get(k++);
      System.arraycopy(v, 0, p, s.offset(), v.length);
    }
  }

  /** Loads a double model's parameters; F32, F16 and BF16 tensors widen exactly. */
  public static void load(NetworkF64 net, Path path) throws IOException {
    Map<ParameterSpec, Safetensors.Tensor> matched = match(net.parameterSpecs(), path);
    List<double[]> values = new ArrayList<>();
    for (Safetensors.Tensor t : matched.values()) values.add(t.toDoubles());
    double[] p = net.parameters();
    int k = 0;
    for (ParameterSpec s : matched.keySet()) {
      double[] v = values.get(k++);
      System.arraycopy(v, 0, p, s.offset(), v.length);
    }
  }

  /** Reads the file and pairs every spec with its tensor, or throws naming every problem. */
  private static Map<ParameterSpec, Safetensors.Tensor> match(List<ParameterSpec> specs, Path path) throws IOException {
    Safetensors.Contents contents = Safetensors.read(path);
    Map<String, Safetensors.Tensor> tensors = contents.tensors();
    Map<ParameterSpec, Safetensors.Tensor> matched = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    Set<String> expected = new LinkedHashSet<>();
    for (ParameterSpec s : specs) {
      expected.add(s.name());
      Safetensors.Tensor t = tensors.get(s.name());
      if (t == null) {
        missing.add(s.name());
        continue;
      }
      long[] want = longs(s.shape());
      if (!Arrays.equals(want, t.shape())) {
        problems.add("tensor " + s.name() + " has shape " + Arrays.toString(t.shape()) + ", expected "
            + Arrays.toString(want));
      } else if (!t.dtype().isFloatingPoint()) {
        problems.add("tensor " + s.name() + " has dtype " + t.dtype() + ", expected F32, F64, F16 or BF16");
      } else {
        matched.put(s, t);
      }
    }
    if (!missing.isEmpty()) problems.add("missing tensors " + missing);
    List<String> unexpected = new ArrayList<>();
    for (String name : tensors.keySet()) if (!expected.contains(name)) unexpected.add(name);
    if (!unexpected.isEmpty()) problems.add("unexpected tensors " + unexpected);
    if (!problems.isEmpty()) {
      throw new WeightsMismatchException(path + " does not fit the model: " + String.join("; ", problems));
    }
    return matched;
  }

  private static long[] longs(int[] shape) {
    long[] out = new long[shape.length];
    for (int k = 0; k < shape.length; k++) out[k] = shape[k];
    return out;
  }
}
