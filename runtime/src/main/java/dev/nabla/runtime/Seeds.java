package dev.nabla.runtime;

/**
 * Derives independent seeds for the random draws of a training step (dropout masks) from the
 * model's seed, the step number and a per-node salt, so a run resumed at step n draws exactly the
 * masks an uninterrupted run would.
 */
public final class Seeds {
  private Seeds() {}

  public static long mix(long seed, long step, int salt) {
    long h = seed * 0x9E3779B97F4A7C15L + step;
    h = splitmix(h) + salt;
    return splitmix(h);
  }

  private static long splitmix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
