package dev.nabla.samples;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.BostonHousing;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.train.Fit;
import java.nio.file.Path;
import java.util.Locale;

/**
 * House-price regression on real data: the Boston table of Debian's python3-sklearn
 * ({@link BostonHousing}, fetched with apt-get download on first use), 506 tracts, 13 features,
 * target MEDV (median home value, $1000s).
 *
 * <p>Fixed split: the rows shuffled by {@link Dataset#shuffledOrder(int, long)} with seed
 * {@value #SPLIT_SEED}; the first 354 (70%) train, the next 76 (15%) dev, the last 76 (15%) test.
 * Features are standardised with the mean and standard deviation of the training rows, and so is
 * the target (the net learns standardised prices; RMSE is reported in $1000s after undoing it).
 * The model is {@link HouseNet} (13-64-64-1 ReLU, MSE, Adam 1e-3), trained {@value #EPOCHS} epochs
 * in batches of 32. Baselines: predicting the training mean, and ordinary least squares with an
 * intercept (normal equations solved in double precision).
 *
 * <pre>
 * usage: HousePrices [--csv FILE] [--epochs N] [--seed S]
 *   --csv FILE   read the table from FILE (boston_house_prices.csv) instead of fetching it
 *   --seed S     weight and shuffling seed of the net (default 42); the split is always fixed
 * </pre>
 */
public final class HousePrices {
  /** The seed of the fixed train/dev/test split. */
  public static final long SPLIT_SEED = 20261121L;
  public static final int EPOCHS = 200;
  public static final int BATCH = 32;

  /** RMSE in $1000s of the net and both baselines on one split. */
  public record Scores(double net, double mean, double linear) {}

  /** Dev and test scores. */
  public record Result(Scores dev, Scores test, int train, int devCount, int testCount) {}

  private HousePrices() {}

  public static void main(String[] argv) {
    SampleArgs.Table options = SampleArgs.Table.parse(argv, "HousePrices", EPOCHS);
    Path csv = options.csv();
    int epochs = options.epochs();
    long seed = options.seed();
    BostonHousing.Table table = csv == null ? BostonHousing.load() : BostonHousing.load(csv);
    long start = System.nanoTime();
    Result r = run(table, seed, epochs);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "Boston house prices: %d train, %d dev, %d test tracts (split seed %d); "
        + "HouseNet 13-64-64-1, %d epochs in %.1f s%n", r.train(), r.devCount(), r.testCount(), SPLIT_SEED, epochs, seconds);
    System.out.printf(Locale.ROOT, "dev RMSE: %.2f (mean baseline %.2f, linear %.2f)%n", r.dev().net(), r.dev().mean(), r.dev().linear());
    System.out.printf(Locale.ROOT, "test RMSE: %.2f (mean baseline %.2f, linear %.2f)%n", r.test().net(), r.test().mean(), r.test().linear());
  }

  /** Splits, standardises, fits the baselines and trains the net; RMSE in $1000s. */
  public static Result run(BostonHousing.Table table, long seed, int epochs) {
    int n = table.rows();
    int d = table.features();
    int nTrain = (int) Math.round(0.70 * n);
    int nDev = (int) Math.round(0.15 * n);
    int nTest = n - nTrain - nDev;
    int[] order = Dataset.shuffledOrder(n, SPLIT_SEED);
    int[] train = java.util.Arrays.copyOfRange(order, 0, nTrain);
    int[] dev = java.util.Arrays.copyOfRange(order, nTrain, nTrain + nDev);
    int[] test = java.util.Arrays.copyOfRange(order, nTrain + nDev, n);

    // statistics of the training rows only
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int i : train) for (int j = 0; j < d; j++) mean[j] += table.x()[i * d + j] / nTrain;
    for (int i : train) for (int j = 0; j < d; j++) {
      double v = table.x()[i * d + j] - mean[j];
      std[j] += v * v / nTrain;
    }
    for (int j = 0; j < d; j++) std[j] = std[j] > 0 ? Math.sqrt(std[j]) : 1;
    double yMean = 0;
    double yStd = 0;
    for (int i : train) yMean += table.y()[i] / nTrain;
    for (int i : train) yStd += (table.y()[i] - yMean) * (table.y()[i] - yMean) / nTrain;
    yStd = Math.sqrt(yStd);

    double[] beta = leastSquares(table, train, mean, std);

    Network net = HouseNetModel.create(seed);
    net.fit(dataset(table, train, mean, std, yMean, yStd), Fit.epochs(epochs).batch(BATCH).shuffleSeed(seed).quiet());

    Scores devScores = scores(net, table, dev, mean, std, yMean, yStd, beta);
    Scores testScores = scores(net, table, test, mean, std, yMean, yStd, beta);
    return new Result(devScores, testScores, nTrain, nDev, nTest);
  }

  private static Dataset dataset(BostonHousing.Table t, int[] rows, double[] mean, double[] std, double yMean, double yStd) {
    int d = t.features();
    float[] x = features(t, rows, mean, std);
    float[] y = new float[rows.length];
    for (int r = 0; r < rows.length; r++) y[r] = (float) ((t.y()[rows[r]] - yMean) / yStd);
    return Dataset.ofTargets(x, d, y, 1);
  }

  private static float[] features(BostonHousing.Table t, int[] rows, double[] mean, double[] std) {
    int d = t.features();
    float[] x = new float[rows.length * d];
    for (int r = 0; r < rows.length; r++) {
      for (int j = 0; j < d; j++) x[r * d + j] = (float) ((t.x()[rows[r] * d + j] - mean[j]) / std[j]);
    }
    return x;
  }

  private static Scores scores(Network net, BostonHousing.Table t, int[] rows, double[] mean, double[] std,
      double yMean, double yStd, double[] beta) {
    int d = t.features();
    float[] x = features(t, rows, mean, std);
    float[] out = new float[rows.length];
    net.predict(x, rows.length, out);
    double seNet = 0;
    double seMean = 0;
    double seLinear = 0;
    for (int r = 0; r < rows.length; r++) {
      double truth = t.y()[rows[r]];
      double pNet = out[r] * yStd + yMean;
      double pLin = beta[d];
      for (int j = 0; j < d; j++) pLin += beta[j] * ((t.x()[rows[r] * d + j] - mean[j]) / std[j]);
      seNet += (pNet - truth) * (pNet - truth);
      seMean += (yMean - truth) * (yMean - truth);
      seLinear += (pLin - truth) * (pLin - truth);
    }
    return new Scores(Math.sqrt(seNet / rows.length), Math.sqrt(seMean / rows.length), Math.sqrt(seLinear / rows.length));
  }

  /**
   * Ordinary least squares on the standardised training features plus an intercept: solves the
   * normal equations {@code (AᵀA) b = Aᵀy} by Gaussian elimination with partial pivoting. Returns
   * the 13 coefficients then the intercept; prices in $1000s.
   */
  static double[] leastSquares(BostonHousing.Table t, int[] rows, double[] mean, double[] std) {
    int d = t.features();
    int m = d + 1;
    double[][] a = new double[m][m + 1];
    double[] z = new double[m];
    for (int i : rows) {
      for (int j = 0; j < d; j++) z[j] = (t.x()[i * d + j] - mean[j]) / std[j];
      z[d] = 1;
      for (int p = 0; p < m; p++) {
        for (int q = 0; q < m; q++) a[p][q] += z[p] * z[q];
        a[p][m] += z[p] * t.y()[i];
      }
    }
    for (int c = 0; c < m; c++) {
      int pivot = c;
      for (int r = c + 1; r < m; r++) if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) pivot = r;
      double[] tmp = a[c];
      a[c] = a[pivot];
      a[pivot] = tmp;
      if (Math.abs(a[c][c]) < 1e-12) throw new ArithmeticException("singular normal equations at column " + c);
      for (int r = 0; r < m; r++) {
        if (r == c) continue;
        double f = a[r][c] / a[c][c];
        if (f == 0) continue;
        for (int k = c; k <= m; k++) a[r][k] -= f * a[c][k];
      }
    }
    double[] b = new double[m];
    for (int c = 0; c < m; c++) b[c] = a[c][m] / a[c][c];
    return b;
  }

}
