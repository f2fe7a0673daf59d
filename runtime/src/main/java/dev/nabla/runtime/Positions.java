package dev.nabla.runtime;

/**
 * The sinusoidal positional encoding of "Attention is all you need", as the tables generated models
 * add to their sequences: PE[p, 2i] = sin(p / 10000^(2i/C)), PE[p, 2i + 1] = cos(p / 10000^(2i/C)).
 */
public final class Positions {
  private Positions() {}

  /** The (positions, width) table, row-major, in double precision. */
  public static double[] sinusoidalF64(int positions, int width) {
    if (positions <= 0 || width <= 0) {
      throw new IllegalArgumentException("positions and width must be positive, were " + positions + " and " + width);
    }
    double[] t = new double[positions * width];
    for (int p = 0; p < positions; p++) {
      for (int c = 0; c < width; c++) {
        double angle = p / Math.pow(10000, (c - (c & 1)) / (double) width);
        t[p * width + c] = (c & 1) == 0 ? Math.sin(angle) : Math.cos(angle);
      }
    }
    return t;
  }

  /** The same table rounded to float. */
  public static float[] sinusoidal(int positions, int width) {
    double[] d = sinusoidalF64(positions, width);
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
    return f;
  }
}
