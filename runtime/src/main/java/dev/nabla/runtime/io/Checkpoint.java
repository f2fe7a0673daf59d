package dev.nabla.runtime.io;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import dev.nabla.runtime.ParameterSpec;
import dev.nabla.runtime.train.TrainerState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A training checkpoint: everything needed to continue a run exactly, in ONE safetensors file.
 *
 * <ul>
 *   <li>the parameters under their PyTorch names ({@code hidden1.weight}), as {@link Weights} saves them;
 *   <li>each optimiser state buffer ({@link Network#trainingState()}) cut like the parameters, under
 *       {@code optimizer.<buffer>.<parameter name>} (e.g. {@code optimizer.firstMoment.hidden1.weight});
 *   <li>in the {@code __metadata__} string map: {@code nabla.checkpoint} (the format version),
 *       {@code nabla.model} (the generated class), {@code nabla.seed}, {@code nabla.steps},
 *       {@code nabla.epoch}, {@code nabla.batch}, {@code nabla.shuffle_seed} and one
 *       {@code nabla.scalar.<name>} per optimiser scalar (NAdam's {@code muProduct}), plus
 *       {@code format: pt}.
 * </ul>
 *
 * <p>Saves are atomic ({@link AtomicFiles}: temporary file in the same directory, forced, renamed
 * with ATOMIC_MOVE, directory forced): a crash or a kill mid-save leaves the previous checkpoint
 * intact. Temporary files left by such a killed save ({@code .<name>.<hex>.tmp}) are deleted by the
 * next save of the same file. A load checks the format version, the model class, every tensor's
 * presence, dtype and shape and every metadata entry before changing anything, and throws
 * {@link WeightsMismatchException} (or {@link SafetensorsFormatException} for a broken file) naming
 * the problems.
 */
public final class Checkpoint {
  /** The value of {@code nabla.checkpoint} this version writes and reads. */
  public static final String FORMAT_VERSION = "1";
  static final String VERSION = "nabla.checkpoint";
  static final String MODEL = "nabla.model";
  static final String SEED = "nabla.seed";
  static final String STEPS = "nabla.steps";
  static final String EPOCH = "nabla.epoch";
  static final String BATCH = "nabla.batch";
  static final String SHUFFLE_SEED = "nabla.shuffle_seed";
  static final String SCALAR = "nabla.scalar.";
  /** The tensor-name prefix of the optimiser state. */
  public static final String OPTIMIZER = "optimizer.";

  private Checkpoint() {}

  /** The model state a checkpoint holds, for either precision; arrays are the model's live ones. */
  private record State(String className, List<ParameterSpec> specs, Object params, Map<String, ?> buffers,
      Map<String, Double> scalars, long seed, long steps) {}

  private static State of(Network net) {
    return new State(net.getClass().getName(), net.parameterSpecs(), net.parameters(), new TreeMap<>(net.trainingState()),
        new TreeMap<>(net.trainingScalars()), net.seed(), net.steps());
  }

  private static State of(NetworkF64 net) {
    return new State(net.getClass().getName(), net.parameterSpecs(), net.parameters(), new TreeMap<>(net.trainingState()),
        new TreeMap<>(net.trainingScalars()), net.seed(), net.steps());
  }

  /** Saves a float model's parameters, optimiser state and position, and the trainer's, to {@code path}. */
  public static void save(Network net, TrainerState trainer, Path path) throws IOException {
    write(of(net), trainer, path);
  }

  /** Saves a double model's parameters, optimiser state and position, and the trainer's, to {@code path}. */
  public static void save(NetworkF64 net, TrainerState trainer, Path path) throws IOException {
    write(of(net), trainer, path);
  }

  /**
   * Restores a float model of the same generated class from a checkpoint of {@link #save}: its
   * parameters, optimiser buffers and scalars, seed and step counter. Returns the trainer's state.
   * Changes nothing if anything does not fit.
   */
  public static TrainerState load(Network net, Path path) throws IOException {
    State s = of(net);
    Read r = read(s, path);
    r.apply(s);
    net.restoreTrainingPosition(r.seed, r.steps);
    r.scalars.forEach(net::restoreTrainingScalar);
    return r.trainer;
  }

  /** As {@link #load(Network, Path)} for a double model. */
  public static TrainerState load(NetworkF64 net, Path path) throws IOException {
    State s = of(net);
    Read r = read(s, path);
    r.apply(s);
    net.restoreTrainingPosition(r.seed, r.steps);
    r.scalars.forEach(net::restoreTrainingScalar);
    return r.trainer;
  }

  /** Only the trainer's state of a checkpoint (epoch, batch, shuffle seed), validated as a load would. */
  public static TrainerState trainerState(Path path) throws IOException {
    Map<String, String> meta = Safetensors.read(path).metadata();
    List<String> problems = new ArrayList<>();
    TrainerState t = trainer(meta, problems, path);
    if (!problems.isEmpty()) throw new WeightsMismatchException(path + " is not a usable checkpoint: " + String.join("; ", problems));
    return t;
  }

  private static void write(State s, TrainerState trainer, Path path) throws IOException {
    if (trainer == null) throw new IllegalArgumentException("trainer state must not be null");
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("format", "pt");
    meta.put(VERSION, FORMAT_VERSION);
    meta.put(MODEL, s.className());
    meta.put(SEED, Long.toString(s.seed()));
    meta.put(STEPS, Long.toString(s.steps()));
    meta.put(EPOCH, Integer.toString(trainer.epoch()));
    meta.put(BATCH, Integer.toString(trainer.batchIndex()));
    meta.put(SHUFFLE_SEED, Long.toString(trainer.shuffleSeed()));
    // Double.toString round-trips exactly through Double.parseDouble.
    s.scalars().forEach((k, v) -> meta.put(SCALAR + k, Double.toString(v)));
    List<Safetensors.Tensor> tensors = new ArrayList<>();
    addSlices(tensors, "", s.specs(), s.params());
    for (Map.Entry<String, ?> b : s.buffers().entrySet()) addSlices(tensors, OPTIMIZER + b.getKey() + ".", s.specs(), b.getValue());
    AtomicFiles.deleteStaleTemps(path);
    Safetensors.write(path, meta, tensors);
  }

  private static void addSlices(List<Safetensors.Tensor> out, String prefix, List<ParameterSpec> specs, Object array) {
    for (ParameterSpec p : specs) {
      long[] shape = longs(p.shape());
      out.add(array instanceof float[] f
          ? Safetensors.Tensor.ofFloats(prefix + p.name(), shape, f, p.offset())
          : Safetensors.Tensor.ofDoubles(prefix + p.name(), shape, (double[]) array, p.offset()));
    }
  }

  /** A validated checkpoint, not yet applied. */
  private record Read(Map<String, Safetensors.Tensor> tensors, long seed, long steps, Map<String, Double> scalars,
      TrainerState trainer) {
    void apply(State s) {
      copy(s.params(), "", s.specs());
      for (Map.Entry<String, ?> b : s.buffers().entrySet()) copy(b.getValue(), OPTIMIZER + b.getKey() + ".", s.specs());
    }

    private void copy(Object array, String prefix, List<ParameterSpec> specs) {
      for (ParameterSpec p : specs) {
        Safetensors.Tensor t = tensors.get(prefix + p.name());
        if (array instanceof float[] f) {
          float[] v = t.toFloats();
          System.arraycopy(v, 0, f, p.offset(), v.length);
        } else {
          double[] v = t.toDoubles();
          System.arraycopy(v, 0, (double[]) array, p.offset(), v.length);
        }
      }
    }
  }

  private static Read read(State s, Path path) throws IOException {
    Safetensors.Contents contents = Safetensors.read(path);
    Map<String, String> meta = contents.metadata();
    List<String> problems = new ArrayList<>();
    String version = meta.get(VERSION);
    if (version == null) {
      throw new WeightsMismatchException(path + " is not a Nabla checkpoint (no " + VERSION + " metadata)"
          + (meta.isEmpty() ? "" : "; a weights-only file loads with Weights.load"));
    }
    if (!version.equals(FORMAT_VERSION)) {
      throw new WeightsMismatchException(path + " is checkpoint format " + version + "; this version reads format " + FORMAT_VERSION);
    }
    String model = meta.get(MODEL);
    if (!s.className().equals(model)) problems.add("it was saved from model " + model + ", not " + s.className());
    long seed = parseLong(meta, SEED, problems);
    long steps = parseLong(meta, STEPS, problems);
    if (steps < 0) problems.add(STEPS + " is negative: " + steps);
    TrainerState trainer = trainer(meta, problems, path);
    Map<String, Double> scalars = new LinkedHashMap<>();
    for (String name : s.scalars().keySet()) {
      String v = meta.get(SCALAR + name);
      if (v == null) {
        problems.add("missing metadata " + SCALAR + name);
        continue;
      }
      try {
        scalars.put(name, Double.parseDouble(v));
      } catch (NumberFormatException e) {
        problems.add("metadata " + SCALAR + name + " is not a number: " + v);
      }
    }
    for (String key : meta.keySet()) {
      if (key.startsWith(SCALAR) && !s.scalars().containsKey(key.substring(SCALAR.length()))) {
        problems.add("unexpected optimiser scalar " + key + " (saved with another optimiser?)");
      }
    }

    String dtype = s.params() instanceof float[] ? "F32" : "F64";
    Map<String, Safetensors.Tensor> tensors = contents.tensors();
    Set<String> expected = new LinkedHashSet<>();
    List<String> missing = new ArrayList<>();
    List<String> prefixes = new ArrayList<>();
    prefixes.add("");
    for (String b : s.buffers().keySet()) prefixes.add(OPTIMIZER + b + ".");
    for (String prefix : prefixes) {
      for (ParameterSpec p : s.specs()) {
        String name = prefix + p.name();
        expected.add(name);
        Safetensors.Tensor t = tensors.get(name);
        if (t == null) {
          missing.add(name);
        } else if (!Arrays.equals(longs(p.shape()), t.shape())) {
          problems.add("tensor " + name + " has shape " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(p.shape()));
        } else if (!t.dtype().name().equals(dtype)) {
          // Resuming exactly needs the values bit for bit: no rounding or widening.
          problems.add("tensor " + name + " has dtype " + t.dtype() + ", expected " + dtype);
        }
      }
    }
    if (!missing.isEmpty()) problems.add("missing tensors " + missing);
    List<String> unexpected = new ArrayList<>();
    for (String name : tensors.keySet()) if (!expected.contains(name)) unexpected.add(name);
    if (!unexpected.isEmpty()) problems.add("unexpected tensors " + unexpected);
    if (!problems.isEmpty()) {
      throw new WeightsMismatchException(path + " does not fit " + s.className() + ": " + String.join("; ", problems));
    }
    return new Read(tensors, seed, steps, scalars, trainer);
  }

  private static TrainerState trainer(Map<String, String> meta, List<String> problems, Path path) {
    if (!FORMAT_VERSION.equals(meta.get(VERSION))) {
      problems.add("not a format-" + FORMAT_VERSION + " Nabla checkpoint (" + VERSION + " = " + meta.get(VERSION) + ")");
      return null;
    }
    long epoch = parseLong(meta, EPOCH, problems);
    long batch = parseLong(meta, BATCH, problems);
    long shuffle = parseLong(meta, SHUFFLE_SEED, problems);
    if (epoch < 0 || epoch > Integer.MAX_VALUE) problems.add(EPOCH + " out of range: " + epoch);
    if (batch < 0 || batch > Integer.MAX_VALUE) problems.add(BATCH + " out of range: " + batch);
    if (!problems.isEmpty()) return null;
    return new TrainerState((int) epoch, (int) batch, shuffle);
  }

  private static long parseLong(Map<String, String> meta, String key, List<String> problems) {
    String v = meta.get(key);
    if (v == null) {
      problems.add("missing metadata " + key);
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      problems.add("metadata " + key + " is not an integer: " + v);
      return 0;
    }
  }

  private static long[] longs(int[] shape) {
    long[] out = new long[shape.length];
    for (int k = 0; k < shape.length; k++) out[k] = shape[k];
    return out;
  }
}
