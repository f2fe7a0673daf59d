package dev.nabla.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The side-by-side benchmark in one command: PyTorch's reference script and {@link ModelBench}
 * for each thread count, the JVM peers if their module was built, and {@link CompileTime}; then
 * the raw JSON lines and a table. Each measurement runs in its own process, because the thread
 * count of Nabla (and of the native libraries) is fixed when it starts.
 *
 * <p>Options: {@code --threads 1,2}, {@code --runs 100}, {@code --models mlp_small,mlp_wide,gpt}
 * (default: every model of {@link ModelBench}).
 */
public final class Compare {
  private static final String PYTHON = "/usr/bin/python3";
  private static final List<String> PEERS = List.of("dev.nabla.peers.Dl4jBench", "dev.nabla.peers.DjlBench");

  private final List<Map<String, Object>> results = new ArrayList<>();
  private final List<String> raw = new ArrayList<>();
  private String loadBefore = "";

  private Compare() {}

  public static void main(String[] args) throws Exception {
    Args a = Args.parse(args);
    List<String> threads = a.list("threads", "1,2");
    // More repeats than the reference script's default 30: on a 2-vCPU virtual machine a short
    // window of stolen time otherwise moves a whole median (PyTorch's and ours alike).
    String runs = Integer.toString(a.integer("runs", 100));
    String models = a.string("models", String.join(",", ModelBench.MODELS.keySet()));
    new Compare().run(threads, runs, models);
  }

  private void run(List<String> threads, String runs, String models) throws Exception {
    ensureTorch();
    loadBefore = load();
    if (Double.parseDouble(loadBefore.split(" ")[0]) > 0.5) {
      // Two-thread figures in particular swing wildly when other processes share the cores.
      System.err.println("WARNING: load average " + loadBefore + " before the benchmark: timings will be noisy");
    }
    Path script = Repo.shared().resolve("bench/pytorch_reference.py");
    if (!Files.isRegularFile(script)) {
      throw new IllegalStateException("no " + script + ": shared/ must sit beside the repository");
    }
    for (String t : threads) {
      // torch.set_num_threads does not reach OpenBLAS's own pool; left alone it oversubscribes the cores.
      collect(List.of(PYTHON, script.toString(), "--threads", t, "--models", models, "--runs", runs),
          Map.of("OPENBLAS_NUM_THREADS", t), true);
      collect(java(System.getProperty("java.class.path"), List.of("--add-modules", "jdk.incubator.vector",
          "-Dnabla.threads=" + t), "dev.nabla.bench.ModelBench", "--models", models, "--runs", runs), Map.of(), true);
    }
    runPeers(runs);
    for (String m : List.of("wide", "deep")) {
      collect(java(System.getProperty("java.class.path"), List.of(), "dev.nabla.bench.CompileTime", "--models", m),
          Map.of(), true);
    }
    System.out.println();
    System.out.println("## Raw results");
    raw.forEach(System.out::println);
    System.out.println();
    System.out.println(machine());
    System.out.println();
    printTable();
  }

  /**
   * Installs Debian's PyTorch when {@code import torch} fails, as CI and developers get it, with
   * OpenBLAS: Debian's torch calls whatever libblas.so.3 is selected, and the default reference
   * BLAS makes mlp_wide ~15x slower than the figures in shared/README.md (measured with OpenBLAS).
   */
  private static void ensureTorch() throws Exception {
    boolean torch = Files.isExecutable(Path.of(PYTHON)) && exec(List.of(PYTHON, "-c", "import torch"), true) == 0;
    if (torch && blas().contains("openblas")) return;
    List<String> install = List.of("apt-get", "install", "-y", "python3-torch", "libopenblas0-pthread");
    System.err.println((torch ? "PyTorch would use the reference BLAS (" + blas() + ")" : "PyTorch is missing")
        + ": running apt-get update; " + String.join(" ", install));
    boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
        StandardCharsets.UTF_8).trim());
    if (!root || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
      throw new IllegalStateException("cannot install PyTorch: need root and apt-get; run `apt-get update && "
          + String.join(" ", install) + "` yourself, then retry");
    }
    if (exec(List.of("apt-get", "update"), false) != 0 || exec(install, false) != 0
        || exec(List.of(PYTHON, "-c", "import torch"), false) != 0) {
      throw new IllegalStateException("installing python3-torch failed (see apt-get's output above)");
    }
  }

  /** The BLAS library Debian's alternatives select for libblas.so.3 (what Debian's torch calls). */
  private static String blas() {
    try {
      return Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3").toRealPath().toString();
    } catch (IOException e) {
      return "no libblas.so.3";
    }
  }

  private static int exec(List<String> cmd, boolean quiet) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (quiet) pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    else pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
    return pb.start().waitFor();
  }

  /** Each peer at its library's default threading, then pinned to one thread. */
  private void runPeers(String runs) throws Exception {
    Path module = Repo.root().resolve("bench-peers/target");
    Path cpFile = module.resolve("classpath.txt");
    if (!Files.isRegularFile(cpFile) || !Files.isDirectory(module.resolve("classes"))) {
      System.err.println("Peers (DL4J, DJL) skipped: bench-peers is not built. Include them with "
          + "mvn -q -Pbench,peers -DskipTests package exec:exec -pl bench-peers,bench -am");
      return;
    }
    String cp = module.resolve("classes") + java.io.File.pathSeparator + Files.readString(cpFile).trim();
    // JavaCPP and JNA load natives; DJL must use the libtorch of its classpath jar, not download one.
    List<String> options = List.of("--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true");
    List<String> oneThread = new ArrayList<>(options);
    oneThread.addAll(List.of("-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"));
    for (String main : PEERS) {
      collect(java(cp, options, main, "--runs", runs), Map.of(), false);
      // OpenMP (ND4J's and libtorch's pool) reads the environment; DJL also has its own properties.
      collect(java(cp, oneThread, main, "--runs", runs), Map.of("OMP_NUM_THREADS", "1"), false);
    }
  }

  private static List<String> java(String classpath, List<String> jvmOptions, String main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.addAll(List.of("-cp", classpath, main));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs a benchmark process, echoing and keeping its JSON lines; stderr passes through. */
  private void collect(List<String> cmd, Map<String, String> env, boolean required) throws Exception {
    System.err.println("$ " + (env.isEmpty() ? "" : env + " ") + abbreviate(cmd));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(env);
    Process p = pb.start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        System.out.println(line);
        if (line.startsWith("{")) {
          raw.add(line);
          results.add(Json.parse(line));
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0) {
      String msg = "exit code " + rc + " from " + abbreviate(cmd);
      if (required) throw new IllegalStateException(msg);
      System.err.println("FAILED (left out of the table): " + msg);
    }
  }

  /** The command without its long classpath. */
  private static String abbreviate(List<String> cmd) {
    List<String> s = new ArrayList<>(cmd);
    int cp = s.indexOf("-cp");
    if (cp >= 0) s.set(cp + 1, "<classpath>");
    return String.join(" ", s);
  }

  private String machine() throws IOException {
    String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
        .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    String torch = results.stream().filter(r -> "pytorch".equals(r.get("framework")))
        .map(r -> (String) r.get("version")).findFirst().orElse("?");
    return String.format(Locale.ROOT, "Machine: %s, %d cores; JDK %s (%s); PyTorch %s with BLAS %s; Nabla kernels (this JVM): %s; "
        + "load average before %s, after %s",
        cpu, Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"), torch,
        blas(),
        dev.nabla.runtime.kernel.Kernels.describe(), loadBefore, load());
  }

  /** The 1, 5 and 15 minute load averages. */
  private static String load() throws IOException {
    String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
    return f[0] + " " + f[1] + " " + f[2];
  }

  private Optional<Map<String, Object>> find(String framework, String model, Object threads) {
    return results.stream().filter(r -> framework.equals(r.get("framework")) && model.equals(r.get("model"))
        && (threads == null || threads.equals(r.get("threads")))).findFirst();
  }

  private List<Map<String, Object>> all(String framework, String model) {
    return results.stream().filter(r -> framework.equals(r.get("framework")) && model.equals(r.get("model"))
        && r.containsKey("train_step_ms")).toList();
  }

  private void printTable() {
    System.out.println("| model | threads | pytorch train ms | nabla train ms | speed-up | pytorch infer µs "
        + "| nabla infer µs | speed-up | nabla alloc B (train / infer) |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    for (String model : ModelBench.MODELS.keySet()) {
      for (Map<String, Object> n : all("nabla", model)) {
        find("pytorch", model, n.get("threads")).ifPresent(p -> row(model, fmt(n.get("threads")), p, n,
            fmt(n.get("train_alloc_bytes")) + " / " + fmt(n.get("infer1_alloc_bytes"))));
      }
      // Each framework at its own best thread count, for training and inference separately.
      Map<String, Object> pt = best(all("pytorch", model), "train_step_ms");
      Map<String, Object> nt = best(all("nabla", model), "train_step_ms");
      Map<String, Object> pi = best(all("pytorch", model), "infer1_us");
      Map<String, Object> ni = best(all("nabla", model), "infer1_us");
      if (pt != null && nt != null) {
        System.out.printf(Locale.ROOT, "| %s | best vs best | %s (%s t) | %s (%s t) | %s | %s (%s t) | %s (%s t) | %s | |%n",
            model, fmt(pt.get("train_step_ms")), fmt(pt.get("threads")), fmt(nt.get("train_step_ms")),
            fmt(nt.get("threads")), ratio(pt, nt, "train_step_ms"), fmt(pi.get("infer1_us")), fmt(pi.get("threads")),
            fmt(ni.get("infer1_us")), fmt(ni.get("threads")), ratio(pi, ni, "infer1_us"));
      }
    }

    List<Map<String, Object>> peers = results.stream()
        .filter(r -> !List.of("nabla", "pytorch").contains(r.get("framework"))).toList();
    if (!peers.isEmpty()) {
      System.out.println();
      System.out.println("| peer (JVM) | version | model | threads (setting) | train ms | infer µs "
          + "| nabla best train speed-up | nabla best infer speed-up |");
      System.out.println("|---|---|---|---|---|---|---|---|");
      for (Map<String, Object> r : peers) {
        String model = (String) r.get("model");
        Map<String, Object> nt = best(all("nabla", model), "train_step_ms");
        Map<String, Object> ni = best(all("nabla", model), "infer1_us");
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.get("framework"),
            r.get("version"), model, fmt(r.get("threads")) + " (" + r.get("thread_setting") + ")", fmt(r.get("train_step_ms")), fmt(r.get("infer1_us")),
            nt == null ? "" : ratio(r, nt, "train_step_ms"), ni == null ? "" : ratio(r, ni, "infer1_us"));
      }
    }

    System.out.println();
    System.out.println("| annotation processor on | median ms (warm) | cold ms (fresh JVM) |");
    System.out.println("|---|---|---|");
    results.stream().filter(r -> r.containsKey("processor_ms_median")).forEach(r -> System.out.printf(
        Locale.ROOT, "| %s | %s | %s |%n", r.get("model"), fmt(r.get("processor_ms_median")),
        fmt(r.get("processor_ms_cold"))));
  }

  private static void row(String model, String threads, Map<String, Object> pytorch, Map<String, Object> nabla,
      String alloc) {
    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", model, threads,
        fmt(pytorch.get("train_step_ms")), fmt(nabla.get("train_step_ms")), ratio(pytorch, nabla, "train_step_ms"),
        fmt(pytorch.get("infer1_us")), fmt(nabla.get("infer1_us")), ratio(pytorch, nabla, "infer1_us"), alloc);
  }

  private static Map<String, Object> best(List<Map<String, Object>> rows, String key) {
    return rows.stream().min(Comparator.comparingDouble(r -> (Double) r.get(key))).orElse(null);
  }

  /** How many times faster Nabla is than the other (above 1: Nabla is faster). */
  private static String ratio(Map<String, Object> other, Map<String, Object> nabla, String key) {
    return String.format(Locale.ROOT, "%.2f×", (Double) other.get(key) / (Double) nabla.get(key));
  }

  private static String fmt(Object v) {
    if (v instanceof Double d) {
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Json.round(d, 4).toPlainString();
    }
    return String.valueOf(v);
  }
}
