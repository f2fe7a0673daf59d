package dev.nabla.runtime;

/**
 * Weight initialisers. The float and double versions draw the same double sequence (the float one
 * rounds each value), so models of both precisions built from one seed start from the same weights.
 */
public final class Initializer {
  /** Normal, standard deviation 0.01. */
  public static final int SMALL_RANDOM = 0;
  /** Uniform ±sqrt(6 / (fanIn + fanOut)) (Glorot). */
  public static final int XAVIER = 1;
  /** Normal, standard deviation sqrt(2 / fanIn). */
  public static final int HE = 2;
  public static final int ZERO = 3;
  /** Every value 1 (layer-norm scales). */
  public static final int ONE = 4;
  /** Standard normal, as torch.nn.Embedding's default. */
  public static final int NORMAL = 5;

  private Initializer() {}

  public static void fill(float[] w, int off, int len, int kind, int fanIn, int fanOut, Rng rng) {
    checkKind(kind);
    for (int i = 0; i < len; i++) w[off + i] = (float) draw(kind, fanIn, fanOut, rng);
  }

  public static void fill(double[] w, int off, int len, int kind, int fanIn, int fanOut, Rng rng) {
    checkKind(kind);
    for (int i = 0; i < len; i++) w[off + i] = draw(kind, fanIn, fanOut, rng);
  }

  private static double draw(int kind, int fanIn, int fanOut, Rng rng) {
    return switch (kind) {
      case SMALL_RANDOM -> 0.01 * rng.nextGaussian();
      case XAVIER -> Math.sqrt(6.0 / (fanIn + fanOut)) * (2 * rng.nextDouble() - 1);
      case HE -> Math.sqrt(2.0 / fanIn) * rng.nextGaussian();
      case ONE -> 1.0;
      case NORMAL -> rng.nextGaussian();
      default -> 0.0;
    };
  }

  private static void checkKind(int kind) {
    if (kind < SMALL_RANDOM || kind > NORMAL) throw new IllegalArgumentException("unknown initializer kind " + kind);
  }
}
