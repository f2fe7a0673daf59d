package dev.nabla.bench;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.parallel.Parallel;
import java.util.Locale;

/**
 * Runs one model's training step or one-example prediction in a loop for a while, so a flight
 * recording shows where that call's time goes, as {@link dev.nabla.bench.kernels.ProfileShape} does
 * for one GEMM shape. With {@link dev.nabla.bench.profile.JfrTop}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dnabla.threads=1 -XX:StartFlightRecording=filename=gpt.jfr,settings=profile \
 *   -cp ... dev.nabla.bench.ProfileModel gpt train 20
 * java -cp bench/target/classes dev.nabla.bench.profile.JfrTop gpt.jfr 30
 * </pre>
 *
 * <p>Arguments: model (a {@link ModelBench} name), {@code train} or {@code predict}, seconds
 * (default 20). The first quarter of the time is a JIT warm-up, whose samples the recording also
 * holds; the calls per second printed at the end are of the rest.
 */
public final class ProfileModel {
  private ProfileModel() {}

  public static void main(String[] args) {
    ModelBench.Entry e = ModelBench.MODELS.get(args[0]);
    if (e == null) throw new IllegalArgumentException("no model '" + args[0] + "'; have " + ModelBench.MODELS.keySet());
    boolean train = switch (args.length > 1 ? args[1] : "train") {
      case "train" -> true;
      case "predict" -> false;
      default -> throw new IllegalArgumentException("train or predict, not " + args[1]);
    };
    long nanos = (long) (Double.parseDouble(args.length > 2 ? args[2] : "20") * 1e9);
    Network model = e.create().get();
    ModelBench.Data d = ModelBench.Data.of(e, model);
    Runnable call = train ? () -> model.trainStep(d.x(), d.labels(), e.batch()) : () -> model.predict(d.one(), 1, d.out());
    ModelBench.warmJit(call, nanos / 4 / 1_000_000);
    long calls = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos * 3 / 4) {
      call.run();
      calls++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%s %s, %d thread(s): %d calls, %.3f ms per call%n", e.name(), args[1],
        Parallel.threads(), calls, seconds * 1e3 / calls);
  }
}
