package dev.nabla.runtime.train;

import dev.nabla.runtime.data.Dataset;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Immutable options of a training run, built fluently: {@code Fit.epochs(5).batch(32)}. Every
 * method returns a new Fit. Defaults: batch 32, the training order reshuffled every epoch from
 * seed 0, no validation, a progress bar and one line per epoch on stderr, no report.
 */
public final class Fit {
  private final int epochs;
  private final int batch;
  private final boolean shuffle;
  private final long seed;
  private final Dataset validation;
  private final boolean quiet;
  private final Consumer<EpochMetrics> onEpoch;
  private final Path reportDir;
  private final double[] reportLearningRates;
  private final boolean checkDivergence;

  private Fit(int epochs, int batch, boolean shuffle, long seed, Dataset validation, boolean quiet,
      Consumer<EpochMetrics> onEpoch, Path reportDir, double[] reportLearningRates, boolean checkDivergence) {
    this.checkDivergence = checkDivergence;
    this.epochs = epochs;
    this.batch = batch;
    this.shuffle = shuffle;
    this.seed = seed;
    this.validation = validation;
    this.quiet = quiet;
    this.onEpoch = onEpoch;
    this.reportDir = reportDir;
    this.reportLearningRates = reportLearningRates;
  }

  /** Starts options for {@code epochs} passes over the training data. */
  public static Fit epochs(int epochs) {
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    return new Fit(epochs, 32, true, 0L, null, false, null, null, null, false);
  }

  /** Examples per mini-batch (the last batch of an epoch may be smaller). */
  public Fit batch(int batch) {
    if (batch <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batch);
    return new Fit(epochs, batch, shuffle, seed, validation, quiet, onEpoch, reportDir, reportLearningRates, checkDivergence);
  }

  /** Reshuffles the training order every epoch from this seed (the default, with seed 0). */
  public Fit shuffleSeed(long seed) {
    return new Fit(epochs, batch, true, seed, validation, quiet, onEpoch, reportDir, reportLearningRates, checkDivergence);
  }

  /** Visits the training data in its own order every epoch. */
  public Fit noShuffle() {
    return new Fit(epochs, batch, false, seed, validation, quiet, onEpoch, reportDir, reportLearningRates, checkDivergence);
  }

  /** Evaluates on this dataset after every epoch (val_loss, val_acc). */
  public Fit validation(Dataset validation) {
    if (validation == null) throw new IllegalArgumentException("validation dataset must not be null");
    return new Fit(epochs, batch, shuffle, seed, validation, quiet, onEpoch, reportDir, reportLearningRates, checkDivergence);
  }

  /** Prints nothing: no bar, no epoch lines. */
  public Fit quiet() {
    return new Fit(epochs, batch, shuffle, seed, validation, true, onEpoch, reportDir, reportLearningRates, checkDivergence);
  }

  /** Called with each epoch's metrics as soon as the epoch ends. */
  public Fit onEpoch(Consumer<EpochMetrics> listener) {
    if (listener == null) throw new IllegalArgumentException("onEpoch listener must not be null");
    return new Fit(epochs, batch, shuffle, seed, validation, quiet, listener, reportDir, reportLearningRates, checkDivergence);
  }

  /**
   * At the end of the run, writes {@code report.html} (charts of the loss, accuracy and learning
   * rate per epoch, the confusion matrix on the validation set, the first layer's weights of an
   * image model) and {@code metrics.csv} into {@code dir}, creating it if needed; see
   * {@link dev.nabla.runtime.report.TrainingReport}.
   */
  public Fit report(Path dir) {
    if (dir == null) throw new IllegalArgumentException("report directory must not be null");
    return new Fit(epochs, batch, shuffle, seed, validation, quiet, onEpoch, dir, reportLearningRates, checkDivergence);
  }

  /**
   * The learning rates the report charts: one value (constant), one per epoch, or one per step.
   * Only recorded for the report; the optimiser's rate is the model's own.
   */
  public Fit reportLearningRates(double... learningRates) {
    if (learningRates == null || learningRates.length == 0) {
      throw new IllegalArgumentException("give at least one learning rate");
    }
    for (double lr : learningRates) {
      if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate " + lr + " is not a finite non-negative number");
    }
    return new Fit(epochs, batch, shuffle, seed, validation, quiet, onEpoch, reportDir, learningRates.clone(), checkDivergence);
  }

  /**
   * Turns on the network's divergence check ({@link dev.nabla.runtime.Network#setDivergenceCheck})
   * for this run: a step whose layer outputs, gradients or loss hold NaN or Inf stops the fit with a
   * {@link dev.nabla.runtime.DivergenceException} naming the step and the first such layer.
   */
  public Fit checkDivergence() {
    return new Fit(epochs, batch, shuffle, seed, validation, quiet, onEpoch, reportDir, reportLearningRates, true);
  }

  /** Whether {@link #checkDivergence()} was asked for. */
  public boolean checksDivergence() {
    return checkDivergence;
  }

  /** Where the report is written, or null for none. */
  public Path reportDirectory() {
    return reportDir;
  }

  /** The learning rates recorded for the report (a copy), or null. */
  public double[] reportLearningRateValues() {
    return reportLearningRates == null ? null : reportLearningRates.clone();
  }

  public int epochCount() {
    return epochs;
  }

  public int batchSize() {
    return batch;
  }

  public boolean shuffles() {
    return shuffle;
  }

  public long seed() {
    return seed;
  }

  /** The validation dataset, or null. */
  public Dataset validationData() {
    return validation;
  }

  public boolean isQuiet() {
    return quiet;
  }

  /** The epoch listener, or null. */
  public Consumer<EpochMetrics> epochListener() {
    return onEpoch;
  }

  @Override
  public String toString() {
    return "Fit[epochs=" + epochs + ", batch=" + batch + (shuffle ? ", shuffleSeed=" + seed : ", noShuffle")
        + (validation != null ? ", validation=" + validation : "") + (quiet ? ", quiet" : "") + (reportDir != null ? ", report=" + reportDir : "") + "]";
  }
}
