package dev.nabla.runtime.train;

import java.util.Random;

/**
 * Random changes to a copied training mini-batch: shifts of square images and Gaussian input
 * noise. Holds its own {@link Random} and one image of scratch, so {@link #apply} allocates
 * nothing; the same seed gives the same sequence of changes.
 */
public final class BatchAugmenter {
  private final Random rng;
  private final int side;
  private final int maxShift;
  private final float noiseStd;
  private final float[] scratch;

  /**
   * @param seed     seeds the random shifts and noise
   * @param side     image side for shifting (features = side²), or 0 for no shifting
   * @param maxShift largest shift in pixels along each axis
   * @param noiseStd standard deviation of the Gaussian noise, or 0 for none
   */
  public BatchAugmenter(long seed, int side, int maxShift, double noiseStd) {
    if (side < 0 || maxShift < 0 || (side > 0 && maxShift >= side)) {
      throw new IllegalArgumentException("need side >= 0 and 0 <= maxShift < side, got side " + side + ", maxShift " + maxShift);
    }
    if (!(noiseStd >= 0) || Double.isInfinite(noiseStd)) throw new IllegalArgumentException("noise std must be finite and >= 0, got " + noiseStd);
    this.rng = new Random(seed);
    this.side = side;
    this.maxShift = maxShift;
    this.noiseStd = (float) noiseStd;
    this.scratch = new float[side * side];
  }

  /** Restarts the random stream from {@code seed}, as a new augmenter with that seed would. */
  public void reseed(long seed) {
    rng.setSeed(seed);
  }

  /** Whether {@link #apply} changes anything. */
  public boolean active() {
    return (side > 0 && maxShift > 0) || noiseStd > 0;
  }

  /**
   * Augments {@code batch} rows of {@code featureSize} floats in {@code x} in place: first a random
   * shift of each image (if shifting), then noise on every value (if noisy).
   */
  public void apply(float[] x, int batch, int featureSize) {
    if (side > 0 && maxShift > 0) {
      if (featureSize != side * side) {
        throw new IllegalArgumentException("shifting " + side + "×" + side + " images needs " + side * side
            + " features per row, got " + featureSize);
      }
      int span = 2 * maxShift + 1;
      for (int i = 0; i < batch; i++) {
        int dx = rng.nextInt(span) - maxShift;
        int dy = rng.nextInt(span) - maxShift;
        shift(x, i * featureSize, side, dx, dy, scratch);
      }
    }
    if (noiseStd > 0) {
      int n = batch * featureSize;
      for (int i = 0; i < n; i++) x[i] += (float) (rng.nextGaussian() * noiseStd);
    }
  }

  /**
   * Shifts the {@code side × side} row-major image at {@code x[offset ..]} in place by {@code dx}
   * columns right and {@code dy} rows down (negative: left, up): the new pixel (r, c) is the old
   * pixel (r - dy, c - dx), or 0 where that lies outside the image. {@code scratch} holds at least
   * side² floats.
   */
  public static void shift(float[] x, int offset, int side, int dx, int dy, float[] scratch) {
    if (dx == 0 && dy == 0) return;
    int n = side * side;
    System.arraycopy(x, offset, scratch, 0, n);
    for (int r = 0; r < side; r++) {
      int sr = r - dy;
      int row = offset + r * side;
      if (sr < 0 || sr >= side) {
        java.util.Arrays.fill(x, row, row + side, 0f);
        continue;
      }
      for (int c = 0; c < side; c++) {
        int sc = c - dx;
        x[row + c] = sc < 0 || sc >= side ? 0f : scratch[sr * side + sc];
      }
    }
  }
}
