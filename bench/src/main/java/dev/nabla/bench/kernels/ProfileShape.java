package dev.nabla.bench.kernels;

import java.util.Locale;

/**
 * Runs one GEMM shape in a loop for a while, so a flight recording of it shows where that shape's
 * time goes (packing, micro-kernel, epilogue). With {@link dev.nabla.bench.profile.JfrTop}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Dnabla.threads=1 -XX:StartFlightRecording=filename=k.jfr,settings=profile \
 *   -cp ... dev.nabla.bench.kernels.ProfileShape TN:1024x1024x1024 10
 * java -cp bench/target/classes dev.nabla.bench.profile.JfrTop k.jfr
 * </pre>
 */
public final class ProfileShape {
  private ProfileShape() {}

  public static void main(String[] args) {
    Shapes.Shape shape = Shapes.byKey(args[0]);
    long nanos = (long) (Double.parseDouble(args.length > 1 ? args[1] : "10") * 1e9);
    Shapes.Call call = new Shapes.Call(shape);
    long calls = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos) {
      call.call();
      calls++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "%s: %d calls, %.1f GFLOP/s%n", shape.key(), calls,
        shape.flops() * calls / seconds / 1e9);
  }
}
