package dev.nabla.samples;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.BreastCancerTable;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Normalizer;
import dev.nabla.runtime.train.Fit;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Breast-cancer classification on real data with logistic regression: the Wisconsin diagnostic table
 * of Debian's python3-sklearn ({@link BreastCancerTable}, fetched with apt-get download on first use),
 * 569 aspirates, 30 features, target 1 = benign / 0 = malignant.
 *
 * <p>Fixed split: {@link Dataset#split(double, double, long) split(0.70, 0.15, }{@value #SPLIT_SEED}{@code )},
 * i.e. 398 train, 85 dev, 86 test rows. Features are standardised with the mean and standard
 * deviation of the training rows ({@link Normalizer#fit}). The model is {@link CancerNet} (one
 * linear unit, binary cross-entropy on its logit, Adam 0.01), trained {@value #EPOCHS} epochs in
 * batches of 32. Baseline: always predicting the training set's majority class (benign), with log
 * loss from its training frequency.
 *
 * <pre>
 * usage: BreastCancer [--csv FILE] [--epochs N] [--seed S]
 *   --csv FILE   read the table from FILE (breast_cancer.csv) instead of fetching it
 *   --seed S     weight and shuffling seed (default 42); the split is always fixed
 * </pre>
 */
public final class BreastCancer {
  /** The seed of the fixed train/dev/test split. */
  public static final long SPLIT_SEED = 20261121L;
  public static final int EPOCHS = 100;
  public static final int BATCH = 32;
  /** Probabilities are clamped to [ε, 1−ε] for the log loss. */
  static final double EPS = 1e-12;

  /** Accuracy and mean log loss of the model and of the majority-class baseline on one split. */
  public record Scores(double accuracy, double logLoss, double baselineAccuracy, double baselineLogLoss) {}

  public record Result(Scores dev, Scores test, int train, int devCount, int testCount) {}

  private BreastCancer() {}

  public static void main(String[] argv) {
    SampleArgs.Table options = SampleArgs.Table.parse(argv, "BreastCancer", EPOCHS);
    Path csv = options.csv();
    int epochs = options.epochs();
    long seed = options.seed();
    Dataset table = csv == null ? BreastCancerTable.load() : BreastCancerTable.load(csv);
    long start = System.nanoTime();
    Result r = run(table, seed, epochs);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "breast cancer: %d train, %d dev, %d test aspirates (split seed %d); "
        + "CancerNet logistic regression, %d epochs in %.1f s%n", r.train(), r.devCount(), r.testCount(), SPLIT_SEED, epochs, seconds);
    System.out.printf(Locale.ROOT, "dev log loss: %.3f (majority baseline %.3f)%n", r.dev().logLoss(), r.dev().baselineLogLoss());
    System.out.printf(Locale.ROOT, "test log loss: %.3f (majority baseline %.3f)%n", r.test().logLoss(), r.test().baselineLogLoss());
    System.out.printf(Locale.ROOT, "dev accuracy: %.3f (majority baseline %.3f)%n", r.dev().accuracy(), r.dev().baselineAccuracy());
    System.out.printf(Locale.ROOT, "test accuracy: %.3f (majority baseline %.3f)%n", r.test().accuracy(), r.test().baselineAccuracy());
  }

  /** Splits, standardises with training statistics, trains and scores on dev and test. */
  public static Result run(Dataset table, long seed, int epochs) {
    Dataset.TrainDevTest parts = table.split(0.70, 0.15, SPLIT_SEED);
    Normalizer norm = Normalizer.fit(parts.train());
    Dataset train = norm.apply(parts.train());
    Dataset dev = norm.apply(parts.dev());
    Dataset test = norm.apply(parts.test());
    double positive = 0;
    for (float t : train.targets()) positive += t;
    double prior = positive / train.size(); // training frequency of class 1 (benign)

    Network net = CancerNetModel.create(seed);
    net.fit(train, Fit.epochs(epochs).batch(BATCH).shuffleSeed(seed).quiet());
    return new Result(scores(net, dev, prior), scores(net, test, prior), train.size(), dev.size(), test.size());
  }

  static Scores scores(Network net, Dataset data, double prior) {
    int n = data.size();
    float[] p = new float[n];
    net.predict(data.features(), n, p);
    float[] y = data.targets();
    int majority = prior >= 0.5 ? 1 : 0;
    int correct = 0;
    int baselineCorrect = 0;
    double loss = 0;
    double baselineLoss = 0;
    for (int i = 0; i < n; i++) {
      double q = Math.min(1 - EPS, Math.max(EPS, p[i]));
      boolean pos = y[i] > 0.5f;
      if ((q >= 0.5) == pos) correct++;
      if ((majority == 1) == pos) baselineCorrect++;
      loss -= pos ? Math.log(q) : Math.log(1 - q);
      baselineLoss -= pos ? Math.log(prior) : Math.log(1 - prior);
    }
    return new Scores((double) correct / n, loss / n, (double) baselineCorrect / n, baselineLoss / n);
  }

}
