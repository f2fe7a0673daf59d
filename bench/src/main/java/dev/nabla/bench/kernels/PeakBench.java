package dev.nabla.bench.kernels;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceilings the GEMM numbers are compared with, on the pool's threads (1 here, 2 in
 * {@link PeakBench2}): {@code fma} reports time per 2^20 iterations of 12 independent 16-lane FMAs
 * (GFLOP/s = 2·12·lanes·2^20·threads / time); {@code read} the time to stream a buffer of
 * {@code kib} KiB (GB/s = bytes / time), split over the threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnabla.threads=1"})
public class PeakBench {
  @Param({"512", "8192", "262144"})
  public int kib;

  private final Probes.PeakTask peak = new Probes.PeakTask();
  private Probes.SumTask sum;

  @Setup
  public void setup() {
    sum = new Probes.SumTask(kib * 256);
  }

  @Benchmark
  @OperationsPerInvocation(1)
  public float fma() {
    peak.runAll();
    return peak.sink;
  }

  @Benchmark
  public float read() {
    sum.runAll();
    return sum.sink;
  }
}
