package dev.nabla.runtime;

/**
 * A small deterministic generator (xoshiro256**, seeded through SplitMix64). Same seed, same
 * sequence on every JVM; no allocation per draw, and the state can be saved and restored for
 * checkpoints.
 */
public final class Rng {
  private long s0;
  private long s1;
  private long s2;
  private long s3;
  private double spareGaussian;
  private boolean hasSpare;

  public Rng(long seed) {
    long x = seed;
    x += 0x9E3779B97F4A7C15L;
    s0 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s1 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s2 = mix(x);
    x += 0x9E3779B97F4A7C15L;
    s3 = mix(x);
  }

  /** The SplitMix64 finaliser: a bijective 64-bit mix, also used as a counter-based hash. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public long nextLong() {
    long result = Long.rotateLeft(s1 * 5, 7) * 9;
    long t = s1 << 17;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = Long.rotateLeft(s3, 45);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    if (bound <= 0) throw new IllegalArgumentException("bound must be positive: " + bound);
    return (int) (((nextLong() >>> 33) * bound) >>> 31);
  }

  /** Standard normal via the polar Box–Muller method; the second value of each pair is kept. */
  public double nextGaussian() {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    double u;
    double v;
    double s;
    do {
      u = 2 * nextDouble() - 1;
      v = 2 * nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s == 0);
    double f = Math.sqrt(-2 * Math.log(s) / s);
    spareGaussian = v * f;
    hasSpare = true;
    return u * f;
  }

  /** The full state: four xoshiro words, the spare Gaussian's bits and whether it is present. */
  public long[] state() {
    return new long[] {s0, s1, s2, s3, Double.doubleToRawLongBits(spareGaussian), hasSpare ? 1 : 0};
  }

  public void restore(long[] state) {
    if (state.length != 6) throw new IllegalArgumentException("Rng state has 6 words, got " + state.length);
    s0 = state[0];
    s1 = state[1];
    s2 = state[2];
    s3 = state[3];
    spareGaussian = Double.longBitsToDouble(state[4]);
    hasSpare = state[5] != 0;
  }
}
