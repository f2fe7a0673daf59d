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
  private int epochs;
  private int batch = 32;
  private boolean shuffle = true;
  private long seed;
  private Dataset validation;
  private boolean quiet;
  private Consumer<EpochMetrics> onEpoch;
  private StepListener onStep;
  private Path reportDir;
  private double[] reportLearningRates;
  private double inputNoise;
  private int shiftSide;
  private int maxShift;
  private int patience;
  private Monitor monitor = Monitor.AUTO;
  private boolean checkDivergence;
  private int checkpointEvery;
  private Path checkpointFile;

  /** The dev metric {@link #earlyStopping} watches. */
  public enum Monitor {
    /** Validation accuracy for a classifier, validation loss for a regression. */
    AUTO,
    /** Validation loss (lower is better). */
    LOSS,
    /** Validation accuracy (higher is better); classifiers only. */
    ACCURACY
  }

  private Fit() {}

  private Fit copy() {
    Fit f = new Fit();
    f.epochs = epochs;
    f.batch = batch;
    f.shuffle = shuffle;
    f.seed = seed;
    f.validation = validation;
    f.quiet = quiet;
    f.onEpoch = onEpoch;
    f.onStep = onStep;
    f.reportDir = reportDir;
    f.reportLearningRates = reportLearningRates;
    f.inputNoise = inputNoise;
    f.shiftSide = shiftSide;
    f.maxShift = maxShift;
    f.patience = patience;
    f.monitor = monitor;
    f.checkDivergence = checkDivergence;
    f.checkpointEvery = checkpointEvery;
    f.checkpointFile = checkpointFile;
    return f;
  }

  /** Starts options for {@code epochs} passes over the training data. */
  public static Fit epochs(int epochs) {
    if (epochs <= 0) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
    Fit f = new Fit();
    f.epochs = epochs;
    return f;
  }

  /** Examples per mini-batch (the last batch of an epoch may be smaller). */
  public Fit batch(int batch) {
    if (batch <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batch);
    Fit f = copy();
    f.batch = batch;
    return f;
  }

  /**
   * Reshuffles the training order every epoch from this seed (the default, with seed 0); epoch e's
   * order depends only on the seed and e ({@link Trainer#epochOrder}), so a resumed run repeats it;
   * augmentation is reseeded from (seed, e) every epoch.
   * The same seed also drives input noise and image shifts, so a run is reproducible.
   */
  public Fit shuffleSeed(long seed) {
    Fit f = copy();
    f.shuffle = true;
    f.seed = seed;
    return f;
  }

  /** Visits the training data in its own order every epoch. */
  public Fit noShuffle() {
    Fit f = copy();
    f.shuffle = false;
    return f;
  }

  /** Evaluates on this dataset after every epoch (val_loss, val_acc); the dev set of {@link #earlyStopping}. */
  public Fit validation(Dataset validation) {
    if (validation == null) throw new IllegalArgumentException("validation dataset must not be null");
    Fit f = copy();
    f.validation = validation;
    return f;
  }

  /**
   * Turns on the network's divergence check ({@link dev.nabla.runtime.Network#setDivergenceCheck})
   * for this run: a step whose layer outputs, gradients or loss hold NaN or Inf stops the fit with a
   * {@link dev.nabla.runtime.DivergenceException} naming the step and the first such layer.
   */
  public Fit checkDivergence() {
    Fit f = copy();
    f.checkDivergence = true;
    return f;
  }

  /**
   * At the end of every {@code epochs}-th epoch, saves a {@link dev.nabla.runtime.io.Checkpoint} of
   * the network and the run (parameters, optimiser state, step counter, seed, epoch, shuffle seed)
   * to {@code file}, atomically replacing the previous one; {@link Trainer#resume} continues from it.
   */
  public Fit checkpointEvery(int epochs, Path file) {
    if (epochs <= 0) throw new IllegalArgumentException("checkpoint interval must be positive, got " + epochs);
    if (file == null) throw new IllegalArgumentException("checkpoint file must not be null");
    Fit f = copy();
    f.checkpointEvery = epochs;
    f.checkpointFile = file;
    return f;
  }

  /** Epochs between checkpoints, or 0 for none. */
  public int checkpointEpochs() {
    return checkpointEvery;
  }

  /** Where checkpoints are written, or null for none. */
  public Path checkpointFile() {
    return checkpointFile;
  }

  /** Whether {@link #checkDivergence()} was asked for. */
  public boolean checksDivergence() {
    return checkDivergence;
  }

  /** Prints nothing: no bar, no epoch lines. */
  public Fit quiet() {
    Fit f = copy();
    f.quiet = true;
    return f;
  }

  /** Called with each epoch's metrics as soon as the epoch ends. */
  public Fit onEpoch(Consumer<EpochMetrics> listener) {
    if (listener == null) throw new IllegalArgumentException("onEpoch listener must not be null");
    Fit f = copy();
    f.onEpoch = listener;
    return f;
  }

  /**
   * At the end of the run, writes {@code report.html} (charts of the loss, accuracy and learning
   * rate per epoch, the confusion matrix on the validation set, the first layer's weights of an
   * image model) and {@code metrics.csv} into {@code dir}, creating it if needed; see
   * {@link dev.nabla.runtime.report.TrainingReport}.
   */
  public Fit report(Path dir) {
    if (dir == null) throw new IllegalArgumentException("report directory must not be null");
    Fit f = copy();
    f.reportDir = dir;
    return f;
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
    Fit f = copy();
    f.reportLearningRates = learningRates.clone();
    return f;
  }

  /**
   * Adds Gaussian noise of standard deviation {@code std} to every input value of each training
   * mini-batch (after copying it from the dataset, and after any {@link #shiftImages shift}; the
   * dataset and the validation pass are untouched). Drawn from the fit seed: reproducible. 0 turns
   * it off.
   */
  public Fit inputNoise(double std) {
    if (!(std >= 0) || Double.isInfinite(std)) throw new IllegalArgumentException("noise std must be finite and >= 0, got " + std);
    Fit f = copy();
    f.inputNoise = std;
    return f;
  }

  /**
   * Treats every training example as a square {@code side × side} image (row-major; the feature
   * size must be {@code side²}) and shifts each one of every mini-batch by a random
   * {@code (dx, dy)}, each uniform in {@code [-maxShift, maxShift]}, filling uncovered pixels with
   * 0. Drawn from the fit seed: reproducible. Only the copied batch changes.
   */
  public Fit shiftImages(int side, int maxShift) {
    if (side <= 0) throw new IllegalArgumentException("image side must be positive, got " + side);
    if (maxShift < 0 || maxShift >= side) throw new IllegalArgumentException("maxShift must be in [0, " + side + "), got " + maxShift);
    Fit f = copy();
    f.shiftSide = side;
    f.maxShift = maxShift;
    return f;
  }

  /**
   * Stops when the dev metric (see {@link #monitor}; the {@link #validation} set, which is then
   * required) has not improved for {@code patience} epochs in a row, and at the end of the run,
   * early or not, puts the parameters of the best epoch back into the network.
   */
  public Fit earlyStopping(int patience) {
    if (patience <= 0) throw new IllegalArgumentException("patience must be positive, got " + patience);
    Fit f = copy();
    f.patience = patience;
    return f;
  }

  /** Which dev metric {@link #earlyStopping} watches (default {@link Monitor#AUTO}). */
  public Fit monitor(Monitor monitor) {
    if (monitor == null) throw new IllegalArgumentException("monitor must not be null");
    Fit f = copy();
    f.monitor = monitor;
    return f;
  }

  /** The input-noise standard deviation; 0 for none. */
  public double inputNoiseStd() {
    return inputNoise;
  }

  /** The image side for shifting, or 0 for no shifting. */
  public int shiftSide() {
    return shiftSide;
  }

  /** The largest shift in pixels. */
  public int maxShift() {
    return maxShift;
  }

  /** The early-stopping patience in epochs, or 0 for none. */
  public int patience() {
    return patience;
  }

  /** The dev metric of early stopping. */
  public Monitor monitorMetric() {
    return monitor;
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

  /** Receives the loss of every training step. */
  @FunctionalInterface
  public interface StepListener {
    /** {@code epoch} from 1, {@code batch} from 0 within the epoch, the mean loss the step returned. */
    void step(int epoch, int batch, float loss);
  }

  /** Called with every training step's loss right after the step. */
  public Fit onStep(StepListener listener) {
    if (listener == null) throw new IllegalArgumentException("onStep listener must not be null");
    Fit f = copy();
    f.onStep = listener;
    return f;
  }

  /** The step listener, or null. */
  public StepListener stepListener() {
    return onStep;
  }

  /** The epoch listener, or null. */
  public Consumer<EpochMetrics> epochListener() {
    return onEpoch;
  }

  @Override
  public String toString() {
    return "Fit[epochs=" + epochs + ", batch=" + batch + (shuffle ? ", shuffleSeed=" + seed : ", noShuffle")
        + (validation != null ? ", validation=" + validation : "")
        + (inputNoise > 0 ? ", inputNoise=" + inputNoise : "") + (shiftSide > 0 ? ", shift=" + shiftSide + "±" + maxShift : "")
        + (patience > 0 ? ", earlyStopping=" + patience + "/" + monitor : "") + (checkpointFile != null ? ", checkpointEvery=" + checkpointEvery + ":" + checkpointFile : "") + (quiet ? ", quiet" : "") + (reportDir != null ? ", report=" + reportDir : "") + "]";
  }
}
