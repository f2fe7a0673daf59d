package dev.nabla.bench.kernels;

import static jdk.incubator.vector.VectorOperators.ADD;

import dev.nabla.runtime.parallel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's ceilings, measured with the same JIT and Vector API as the kernels: the FMA peak
 * (a register-resident loop) and the streaming read bandwidth of a buffer of a given size.
 */
public final class Probes {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private Probes() {}

  /** FLOPs of one {@link #fmaLoop} call with the given iteration count. */
  public static double fmaFlops(long iters) {
    return 2.0 * 12 * S.length() * iters;
  }

  /**
   * 12 independent FMA chains: enough to cover the FMA latency on both pipes (4 cycles × 2 pipes
   * needs 8 in flight), all in registers, no loads.
   */
  public static float fmaLoop(long iters, float seed) {
    FloatVector m = FloatVector.broadcast(S, 0.999999f);
    FloatVector a = FloatVector.broadcast(S, 1e-7f);
    FloatVector c0 = FloatVector.broadcast(S, seed);
    FloatVector c1 = c0.add(1f);
    FloatVector c2 = c0.add(2f);
    FloatVector c3 = c0.add(3f);
    FloatVector c4 = c0.add(4f);
    FloatVector c5 = c0.add(5f);
    FloatVector c6 = c0.add(6f);
    FloatVector c7 = c0.add(7f);
    FloatVector c8 = c0.add(8f);
    FloatVector c9 = c0.add(9f);
    FloatVector c10 = c0.add(10f);
    FloatVector c11 = c0.add(11f);
    for (long i = 0; i < iters; i++) {
      c0 = c0.fma(m, a);
      c1 = c1.fma(m, a);
      c2 = c2.fma(m, a);
      c3 = c3.fma(m, a);
      c4 = c4.fma(m, a);
      c5 = c5.fma(m, a);
      c6 = c6.fma(m, a);
      c7 = c7.fma(m, a);
      c8 = c8.fma(m, a);
      c9 = c9.fma(m, a);
      c10 = c10.fma(m, a);
      c11 = c11.fma(m, a);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10)
        .add(c11).reduceLanes(ADD);
  }

  /** Σ buf[from, to): a streaming read with four chains (the length is a multiple of 4 vectors). */
  public static float sum(float[] buf, int from, int to) {
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = FloatVector.zero(S);
    FloatVector s2 = FloatVector.zero(S);
    FloatVector s3 = FloatVector.zero(S);
    int l = S.length();
    for (int i = from; i + 4 * l <= to; i += 4 * l) {
      s0 = s0.add(FloatVector.fromArray(S, buf, i));
      s1 = s1.add(FloatVector.fromArray(S, buf, i + l));
      s2 = s2.add(FloatVector.fromArray(S, buf, i + 2 * l));
      s3 = s3.add(FloatVector.fromArray(S, buf, i + 3 * l));
    }
    return s0.add(s1).add(s2).add(s3).reduceLanes(ADD);
  }

  /**
   * The FMA loop on every pool thread at once: 16 parts per thread of {@code iters / 16} each, so a
   * worker that wakes late still gets its share (parts are claimed dynamically). Total FLOPs per
   * {@link #runAll} = threads × fmaFlops(iters).
   */
  public static final class PeakTask implements Parallel.Task {
    public static final int SPLIT = 16;
    public long iters = 1 << 20;
    public volatile float sink;

    @Override
    public void run(int part) {
      sink = fmaLoop(iters / SPLIT, part);
    }

    public void runAll() {
      Parallel.run(this, SPLIT * Parallel.threads());
    }
  }

  /** A streaming read of one buffer, split into 8 contiguous slices per pool thread. */
  public static final class SumTask implements Parallel.Task {
    public final float[] buf;
    private final int slice;
    private final int parts;
    public volatile float sink;

    public SumTask(int floats) {
      parts = 8 * Parallel.threads();
      int unit = 4 * S.length() * parts;
      int len = Math.max(unit, floats / unit * unit);
      buf = new float[len];
      for (int i = 0; i < len; i++) buf[i] = (i % 7) * 0.25f;
      slice = len / parts;
    }

    public long bytes() {
      return 4L * buf.length;
    }

    @Override
    public void run(int part) {
      sink = sum(buf, part * slice, (part + 1) * slice);
    }

    public void runAll() {
      Parallel.run(this, parts);
    }
  }
}
