package dev.nabla.bench.kernels;

import dev.nabla.runtime.parallel.Parallel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One table of GEMM efficiency at 1 and 2 threads: GFLOP/s and % of the FMA peak measured in the
 * same run, or for matrix-vector products (m = 1) GB/s of weights streamed and % of the streaming
 * read bandwidth of a buffer of the same size. Each thread count runs in its own JVM, because
 * {@link Parallel} reads {@code nabla.threads} once.
 *
 * <pre>
 * mvn -q -Pbench -DskipTests package exec:exec -pl bench -am -Dbench.main=dev.nabla.bench.kernels.KernelReport
 * </pre>
 *
 * An optional argument ({@code -Dbench.args=mlp_wide}) keeps only the shapes whose label or key
 * ("NT:128x512x784") contains it.
 *
 * Timing: every shape is run for 0.2 s first (JIT), then per shape a warm-up of 0.4 s and the
 * median of 7 repeats of about 25 ms each. The machine should be otherwise idle.
 */
public final class KernelReport {
  private static final int REPEATS = 7;
  private static final long REPEAT_NANOS = 25_000_000L;
  private static final long WARMUP_NANOS = 400_000_000L;

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args.length > 1 ? args[1] : "");
      return;
    }
    String filter = args.length > 0 ? args[0] : "";
    Map<String, double[]> one = runChild(1, filter);
    Map<String, double[]> two = runChild(2, filter);
    print(one, two);
  }

  // ---- child: measure with this JVM's thread count, print "key<TAB>value<TAB>reference" lines ----

  private static void child(String filter) {
    Probes.PeakTask peak = new Probes.PeakTask();
    double peakFlops = median(() -> peak.runAll()) ;
    peakFlops = Probes.fmaFlops(peak.iters) * Parallel.threads() / peakFlops;
    out("peak", peakFlops, 0);
    for (long bytes : new long[] {512L << 10, 8L << 20, 256L << 20}) {
      out("bw " + (bytes >> 10) + " KiB", bandwidth(bytes), 0);
    }
    Map<Long, Double> bwBySize = new LinkedHashMap<>();
    List<Shapes.Shape> shapes = new ArrayList<>();
    for (Shapes.Shape s : Shapes.ALL) {
      if ((s.label() + " " + s.key()).contains(filter)) shapes.add(s);
    }
    // Compile every path once before timing any: the first shapes would otherwise pay for the JIT.
    for (Shapes.Shape s : shapes) {
      Shapes.Call c = new Shapes.Call(s);
      long t0 = System.nanoTime();
      while (System.nanoTime() - t0 < WARMUP_NANOS / 2) c.call();
    }
    for (Shapes.Shape s : shapes) {
      Shapes.Call c = new Shapes.Call(s);
      double secs = median(c::call);
      if (s.matvec()) {
        double bw = bwBySize.computeIfAbsent(s.weightBytes(), KernelReport::bandwidth);
        out(s.key(), s.weightBytes() / secs, bw);
      } else {
        out(s.key(), s.flops() / secs, peakFlops);
      }
    }
  }

  private static double bandwidth(long bytes) {
    Probes.SumTask t = new Probes.SumTask((int) (bytes / 4));
    return t.bytes() / median(t::runAll);
  }

  private static void out(String key, double value, double ref) {
    System.out.println(key + "\t" + value + "\t" + ref);
    System.out.flush();
  }

  /** Median seconds per call over {@link #REPEATS} timed batches, after a warm-up. */
  private static double median(Runnable r) {
    long t0 = System.nanoTime();
    long calls = 0;
    while (System.nanoTime() - t0 < WARMUP_NANOS) {
      r.run();
      calls++;
    }
    long batch = Math.max(1, calls * REPEAT_NANOS / Math.max(1, System.nanoTime() - t0));
    double[] t = new double[REPEATS];
    for (int i = 0; i < REPEATS; i++) {
      long s = System.nanoTime();
      for (long j = 0; j < batch; j++) r.run();
      t[i] = (System.nanoTime() - s) / 1e9 / batch;
    }
    Arrays.sort(t);
    return t[REPEATS / 2];
  }

  // ---- parent: one child JVM per thread count, then the table ----

  private static Map<String, double[]> runChild(int threads, String filter) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("--add-modules=jdk.incubator.vector");
    cmd.add("-Dnabla.threads=" + threads);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(KernelReport.class.getName());
    cmd.add("--child");
    cmd.add(filter);
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<String, double[]> res = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split("\t");
        if (f.length == 3) res.put(f[0], new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2])});
      }
    }
    if (p.waitFor() != 0) throw new IllegalStateException("child exited with " + p.exitValue());
    return res;
  }

  private static void print(Map<String, double[]> one, Map<String, double[]> two) {
    System.out.printf("FMA peak: 1 thread %.1f GFLOP/s, 2 threads %.1f GFLOP/s%n",
        one.get("peak")[0] / 1e9, two.get("peak")[0] / 1e9);
    for (String k : one.keySet()) {
      if (k.startsWith("bw ")) {
        System.out.printf("read bandwidth %-10s: 1 thread %.1f GB/s, 2 threads %.1f GB/s%n",
            k.substring(3), one.get(k)[0] / 1e9, two.get(k)[0] / 1e9);
      }
    }
    System.out.println();
    System.out.printf("%-22s %-4s %-15s | %10s %6s | %10s %6s | %5s%n",
        "shape", "op", "m x n x k", "1T", "%", "2T", "%", "2T/1T");
    for (Shapes.Shape s : Shapes.ALL) {
      double[] a = one.get(s.key());
      double[] b = two.get(s.key());
      if (a == null || b == null) continue;
      String unit = s.matvec() ? "GB/s" : "GF/s";
      if (s.matvec()) {
        // Small products stay on the calling thread; a buffer that small streams no faster split
        // over the pool (hand-off costs dominate), so its ceiling is the better of the two.
        double ref = Math.max(a[1], b[1]);
        b = new double[] {b[0], ref};
      }
      System.out.printf("%-22s %-4s %-15s | %5.1f %4s %5.1f%% | %5.1f %4s %5.1f%% | %5.2f%n",
          s.label(), s.kind(), s.m() + "x" + s.n() + "x" + s.k(),
          a[0] / 1e9, unit, 100 * a[0] / a[1], b[0] / 1e9, unit, 100 * b[0] / b[1], b[0] / a[0]);
    }
    System.out.println();
    System.out.println("% = of the FMA peak measured at the same thread count (GF/s rows), or of the"
        + " streaming read bandwidth of a buffer as large as the weights (GB/s rows, m = 1;"
        + " at 2T the better of the 1- and 2-thread read).");
  }

  private KernelReport() {}
}
