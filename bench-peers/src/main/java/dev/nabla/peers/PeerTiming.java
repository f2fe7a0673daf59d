package dev.nabla.peers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * The protocol of shared/bench/pytorch_reference.py, shared by the peers: median train step after
 * max(3, runs/5) warm-ups, median one-example forward over runs*4 after 20 warm-ups; plus the same
 * JIT warm-up as Nabla's ModelBench, so every JVM library is measured compiled.
 */
final class PeerTiming {
  static final String MODEL = "mlp_wide";
  static final int BATCH = 128;
  static final long JIT_WARMUP_MS = 2000;

  private PeerTiming() {}

  static int option(String[] args, String name, int def) {
    for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("--" + name)) return Integer.parseInt(args[i + 1]);
    return def;
  }

  /** The JSON line of the reference script, with the thread setting the library reported. */
  static String measure(String framework, String version, long params, int threads, String threadSetting,
      Runnable trainStep, Runnable infer1, int runs) {
    warm(trainStep);
    warm(infer1);
    double train = medianNanos(trainStep, runs, Math.max(3, runs / 5));
    double infer = medianNanos(infer1, runs * 4, 20);
    return String.format(java.util.Locale.ROOT, "{\"framework\": \"%s\", \"version\": \"%s\", \"model\": \"%s\", "
        + "\"threads\": %d, \"batch\": %d, \"params\": %d, \"train_step_ms\": %s, \"infer1_us\": %s, "
        + "\"thread_setting\": \"%s\"}", framework, version, MODEL, threads, BATCH, params,
        round(train / 1e6, 4), round(infer / 1e3, 2), threadSetting);
  }

  private static void warm(Runnable call) {
    long end = System.nanoTime() + JIT_WARMUP_MS * 1_000_000;
    while (System.nanoTime() < end) call.run();
  }

  private static double medianNanos(Runnable call, int runs, int warmup) {
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

  private static String round(double x, int decimals) {
    return BigDecimal.valueOf(x).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
  }
}
