package dev.nabla.bench;

import dev.nabla.bench.models.GptModel;
import dev.nabla.bench.models.MlpSmallModel;
import dev.nabla.bench.models.MlpWideModel;
import dev.nabla.runtime.Network;
import dev.nabla.runtime.parallel.Parallel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Times the reference models the way {@code shared/bench/pytorch_reference.py} does: the median
 * of one Adam training step on a fixed batch, and the median forward of one example; prints one
 * JSON line per model in the reference's format, plus the bytes allocated per call.
 *
 * <p>Options: {@code --models a,b} (default all), {@code --runs N} (default 30), {@code
 * --jit-warmup-ms N} (default 5000; 0 gives exactly the reference's protocol). The thread count
 * is {@link Parallel#threads()}, fixed when that class loads from {@code -Dnabla.threads}, so a
 * different count needs a fresh JVM: {@link Compare} starts one per count, and {@code --threads N}
 * here only checks that the JVM was started with it.
 */
public final class ModelBench {

  /**
   * A benchmarked model: its name in the reference script, its batch size, its data and its factory.
   * {@code vocab} 0: each example is features drawn uniformly from [0, 1) with one class label, as
   * the reference's {@code images}; {@code vocab} V &gt; 0: each example is a sequence of token ids
   * drawn from [0, V), passed as floats, with one label in [0, V) per position (outputSize() / V
   * positions), as the reference's {@code tokens}.
   */
  record Entry(String name, int batch, int vocab, Supplier<Network> create) {
    Entry(String name, int batch, Supplier<Network> create) {
      this(name, batch, 0, create);
    }
  }

  /** Adding a model to the benchmark is one line here (and its @Model class in models/). */
  static final Map<String, Entry> MODELS = new LinkedHashMap<>();

  static {
    add(new Entry("mlp_small", 32, () -> MlpSmallModel.create(0)));
    add(new Entry("mlp_wide", 128, () -> MlpWideModel.create(0)));
    add(new Entry("gpt", 32, 65, () -> GptModel.create(0)));
  }

  /** A fixed batch {@code x} with its {@code labels}, its first example {@code one} and room for its output. */
  record Data(float[] x, int[] labels, float[] one, float[] out) {
    /** The reference's data for an entry, drawn with seed 0. */
    static Data of(Entry e, Network model) {
      Random rnd = new Random(0);
      boolean tokens = e.vocab() > 0;
      int classes = tokens ? e.vocab() : model.outputSize();
      float[] x = new float[e.batch() * model.inputSize()];
      for (int i = 0; i < x.length; i++) x[i] = tokens ? rnd.nextInt(e.vocab()) : rnd.nextFloat();
      int[] labels = new int[e.batch() * (model.outputSize() / classes)];
      for (int i = 0; i < labels.length; i++) labels[i] = rnd.nextInt(classes);
      return new Data(x, labels, Arrays.copyOf(x, model.inputSize()), new float[model.outputSize()]);
    }
  }

  private static void add(Entry e) {
    MODELS.put(e.name(), e);
  }

  private ModelBench() {}

  public static void main(String[] args) {
    Args a = Args.parse(args);
    int runs = a.integer("runs", 30);
    long jitWarmupMs = a.integer("jit-warmup-ms", 5000);
    int threads = a.integer("threads", Parallel.threads());
    if (threads != Parallel.threads()) {
      throw new IllegalArgumentException("--threads " + threads + " but this JVM runs " + Parallel.threads()
          + " threads: start it with -Dnabla.threads=" + threads + " (Compare does)");
    }
    for (String name : a.list("models", String.join(",", MODELS.keySet()))) {
      Entry e = MODELS.get(name);
      if (e == null) {
        // Reference models without a Nabla declaration yet (their layer kinds do not exist) are skipped.
        System.err.println("nabla: no model '" + name + "' yet; have " + MODELS.keySet());
        continue;
      }
      System.out.println(measure(e, runs, jitWarmupMs));
    }
  }

  static String measure(Entry e, int runs, long jitWarmupMs) {
    Network model = e.create().get();
    Data d = Data.of(e, model);
    float[] x = d.x();
    int[] labels = d.labels();
    float[] one = d.one();
    float[] out = d.out();

    // The reference's few warm-ups suit PyTorch's precompiled kernels; HotSpot first needs to
    // compile the hot loops (interpreted Vector API code is ~100x slower and allocates a box per
    // vector), so both calls run for a while before the reference protocol starts.
    warmJit(() -> model.trainStep(x, labels, e.batch()), jitWarmupMs);
    warmJit(() -> model.predict(one, 1, out), jitWarmupMs);
    double trainNs = medianNanos(() -> model.trainStep(x, labels, e.batch()), runs, Math.max(3, runs / 5));
    double inferNs = medianNanos(() -> model.predict(one, 1, out), runs * 4, 20);
    // Both calls are warm now: anything they still allocate is per call.
    long trainAlloc = allocatedPerCall(() -> model.trainStep(x, labels, e.batch()), 10);
    long inferAlloc = allocatedPerCall(() -> model.predict(one, 1, out), 100);

    return Json.object(
        "framework", "nabla", "version", "0.1.0-SNAPSHOT", "model", e.name(),
        "threads", Parallel.threads(), "batch", e.batch(), "params", model.parameters().length,
        "train_step_ms", Json.round(trainNs / 1e6, 4), "infer1_us", Json.round(inferNs / 1e3, 2),
        "train_alloc_bytes", trainAlloc, "infer1_alloc_bytes", inferAlloc);
  }

  /** Calls {@code call} for about {@code millis} ms (0: not at all). */
  static void warmJit(Runnable call, long millis) {
    long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) call.run();
  }

  /** The median wall time of {@code runs} calls after {@code warmup} untimed ones. */
  static double medianNanos(Runnable call, int runs, int warmup) {
    for (int i = 0; i < warmup; i++) call.run();
    long[] t = new long[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      call.run();
      t[i] = System.nanoTime() - start;
    }
    Arrays.sort(t);
    return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2.0;
  }

  /**
   * Heap bytes allocated per call, on every live thread (the pool's workers included). The
   * readings are ordered so that the array the all-threads reading returns is allocated outside
   * the measured span of the calling thread.
   */
  static long allocatedPerCall(Runnable call, int calls) {
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().threadId();
    List<Long> others = new ArrayList<>();
    for (long id : mx.getAllThreadIds()) if (id != self) others.add(id);
    long[] ids = others.stream().mapToLong(Long::longValue).toArray();

    long[] othersBefore = mx.getThreadAllocatedBytes(ids);
    long selfBefore = mx.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < calls; i++) call.run();
    long selfAfter = mx.getCurrentThreadAllocatedBytes();
    long[] othersAfter = mx.getThreadAllocatedBytes(ids);

    long total = selfAfter - selfBefore;
    for (int i = 0; i < ids.length; i++) {
      if (othersBefore[i] >= 0 && othersAfter[i] >= 0) total += othersAfter[i] - othersBefore[i];
    }
    return Math.round((double) total / calls);
  }
}
