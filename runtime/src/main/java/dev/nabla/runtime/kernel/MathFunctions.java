package dev.nabla.runtime.kernel;

/**
 * Scalar special functions shared by the scalar kernels. The double versions are the reference
 * (gradient checks at 1e-6 need erf to ~1e-15); the float ones go through double so the scalar
 * float kernels are an accurate oracle for the SIMD approximations.
 */
public final class MathFunctions {
  private MathFunctions() {}

  static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
  static final double INV_SQRT_PI = 0.5641895835477563;
  static final double SQRT1_2 = 0.7071067811865476;
  static final double INV_SQRT_2PI = 0.3989422804014327;

  /** Below this the series for erf converges quickly; above it the continued fraction for erfc does. */
  private static final double SWITCH = 2.5;

  /** The error function, relative error about 1e-15. */
  public static double erf(double x) {
    if (Double.isNaN(x)) return x;
    double a = Math.abs(x);
    double r = a < SWITCH ? erfSeries(a) : (a > 6.5 ? 1.0 : 1.0 - erfcFraction(a));
    return x < 0 ? -r : r;
  }

  /** The complementary error function, accurate in relative terms also deep in the right tail. */
  public static double erfc(double x) {
    if (Double.isNaN(x)) return x;
    if (x < SWITCH) return 1.0 - erf(x);
    return x > 27.3 ? 0.0 : erfcFraction(x);
  }

  /**
   * erf(x) = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (2n+1)!!. Unlike the Taylor series every term is
   * positive, so nothing cancels and the sum keeps full precision up to the switch point.
   */
  private static double erfSeries(double x) {
    double x2 = x * x;
    double term = x;
    double sum = x;
    for (int n = 1; n < 200; n++) {
      term *= 2.0 * x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return TWO_OVER_SQRT_PI * expMinusSquare(x) * sum;
  }

  /** Laplace's continued fraction erfc(x) = e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …)))), x ≥ 2.5. */
  private static double erfcFraction(double x) {
    double f = x;
    for (int n = 60; n >= 1; n--) f = x + 0.5 * n / f;
    return INV_SQRT_PI * expMinusSquare(x) / f;
  }

  /** e^{−x²} without the rounding error of x² (which grows with x): split x so hi² is exact. */
  private static double expMinusSquare(double x) {
    double hi = (float) x;
    double lo = x - hi;
    return Math.exp(-hi * hi) * Math.exp(-lo * (x + hi));
  }

  /** Standard normal CDF Φ(x) = ½·erfc(−x/√2), accurate in relative terms for negative x too. */
  public static double normalCdf(double x) {
    return 0.5 * erfc(-x * SQRT1_2);
  }

  /** Standard normal density φ(x). */
  public static double normalPdf(double x) {
    return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
  }

  /** Exact GELU x·Φ(x). */
  public static double gelu(double x) {
    return x * normalCdf(x);
  }

  /** d/dx x·Φ(x) = Φ(x) + x·φ(x). */
  public static double geluDerivative(double x) {
    return normalCdf(x) + x * normalPdf(x);
  }

  public static float erf(float x) {
    return (float) erf((double) x);
  }

  public static float gelu(float x) {
    return (float) gelu((double) x);
  }

  public static float geluDerivative(float x) {
    return (float) geluDerivative((double) x);
  }

  public static double sigmoid(double x) {
    return 1.0 / (1.0 + Math.exp(-x));
  }

  public static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  /**
   * The dropout draw for element {@code index}: uniform in [0, 1) with 24 bits, a pure function of
   * (seed, index) so every implementation and thread split produces the same mask.
   */
  public static float dropoutUniform(long mixedSeed, long index) {
    return (dev.nabla.runtime.Rng.mix(mixedSeed + (index + 1) * 0x9E3779B97F4A7C15L) >>> 40) * 0x1.0p-24f;
  }

  /** Mixes the user's seed once per call so nearby seeds give unrelated masks. */
  public static long dropoutSeed(long seed) {
    return dev.nabla.runtime.Rng.mix(seed ^ 0x5DEECE66DL);
  }
}
