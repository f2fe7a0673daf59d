package dev.nabla.runtime.report;

import dev.nabla.runtime.data.Dataset;
import java.util.Random;

final class TrainerTestData {
  private TrainerTestData() {}

  /** Three separable 2-D blobs. */
  static Dataset blobs(int n, long seed) {
    Random r = new Random(seed);
    float[][] centers = {{0, 3}, {3, -2}, {-3, -2}};
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      x[2 * i] = centers[y[i]][0] + (float) r.nextGaussian() * 0.6f;
      x[2 * i + 1] = centers[y[i]][1] + (float) r.nextGaussian() * 0.6f;
    }
    return Dataset.ofLabels(x, 2, y, 3);
  }
}
