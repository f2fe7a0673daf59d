package dev.nabla.bench.kernels;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GEMM shapes of {@link Shapes} at 1 thread (this class) and 2 threads ({@link GemmBench2}):
 * the pool size is fixed per JVM, so each thread count forks with its own {@code nabla.threads}.
 * Time per call; GFLOP/s = 2·m·n·k / time (the shape key is "op:m×n×k", FloatKernels arguments).
 *
 * <pre>
 * mvn -q -Pbench -DskipTests package exec:exec -pl bench -am -Dbench.main=org.openjdk.jmh.Main -Dbench.args=kernels.GemmBench
 * </pre>
 * ({@code -Dbench.args=kernels.PeakBench} for the ceilings; one JMH argument only, so pick shapes by
 * editing {@code @Param} or running org.openjdk.jmh.Main directly with {@code -p shape=...}.)
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnabla.threads=1"})
public class GemmBench {
  @Param({
      "NT:256x256x256", "NN:256x256x256", "TN:256x256x256",
      "NT:512x512x512", "NN:512x512x512", "TN:512x512x512",
      "NT:1024x1024x1024", "NN:1024x1024x1024", "TN:1024x1024x1024",
      "NT:32x16x784", "NT:32x16x16", "NT:32x10x16", "NN:32x16x16", "NN:32x10x16",
      "TN:32x16x784", "TN:32x16x16", "TN:32x10x16",
      "NT:128x512x784", "NT:128x512x512", "NT:128x10x512", "NN:128x512x512", "NN:128x10x512",
      "TN:128x512x784", "TN:128x512x512", "TN:128x10x512",
      "NT:1x16x784", "NT:1x16x16", "NT:1x10x16", "NT:1x512x784", "NT:1x512x512", "NT:1x10x512"})
  public String shape;

  private Shapes.Call call;

  @Setup(Level.Trial)
  public void setup() {
    call = new Shapes.Call(Shapes.byKey(shape));
  }

  @Benchmark
  public void gemm() {
    call.call();
  }
}
