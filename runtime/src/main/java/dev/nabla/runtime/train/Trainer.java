package dev.nabla.runtime.train;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.Seeds;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.io.Checkpoint;
import dev.nabla.runtime.report.TrainingReport;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The fit loop: epochs of shuffled mini-batches through {@link Network#trainStep}, with a progress
 * bar, one summary line per epoch and optional validation. Also {@link #evaluate} for measuring a
 * model on held-out data.
 */
public final class Trainer {
  /** Batch size used by {@link #evaluate(Network, Dataset)}. */
  public static final int EVAL_BATCH = 256;
  /** Probabilities are clamped to at least this before taking the log in the cross-entropy. */
  public static final double MIN_PROBABILITY = 1e-12;

  private Trainer() {}

  /** Trains {@code net} on {@code train} as {@code fit} describes and returns every epoch's metrics. */
  public static History fit(Network net, Dataset train, Fit fit) {
    return run(net, train, fit, 0);
  }

  /**
   * Continues a run from a checkpoint written by {@link Fit#checkpointEvery} (or
   * {@link Checkpoint#save}): loads the parameters, optimiser state, step counter and seed into
   * {@code net} (a model of the same generated class, whatever its own seed), then trains epochs
   * {@code saved + 1 .. fit.epochCount()} with the same per-epoch shuffling and augmentation as an
   * uninterrupted run, so the losses are bit for bit those of the uninterrupted run. {@code fit} must
   * have the checkpoint's shuffle seed. Returns the metrics of the resumed epochs only; early
   * stopping, if on, starts counting afresh.
   */
  public static History resume(Network net, Dataset train, Fit fit, Path checkpoint) {
    TrainerState state;
    try {
      TrainerState saved = Checkpoint.trainerState(checkpoint);
      checkResumable(saved, fit, checkpoint);
      state = Checkpoint.load(net, checkpoint);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resume from " + checkpoint + ": " + e.getMessage(), e);
    }
    return run(net, train, fit, state.epoch());
  }

  private static void checkResumable(TrainerState saved, Fit fit, Path checkpoint) {
    if (saved.batchIndex() != 0) {
      throw new IllegalArgumentException(checkpoint + " was saved in the middle of epoch " + (saved.epoch() + 1)
          + " (batch " + saved.batchIndex() + "); resume needs a checkpoint from the end of an epoch");
    }
    if (fit.shuffles() && saved.shuffleSeed() != fit.seed()) {
      throw new IllegalArgumentException(checkpoint + " was saved by a fit with shuffle seed " + saved.shuffleSeed()
          + " but this fit has " + fit.seed() + "; resuming would not reproduce the run");
    }
    if (saved.epoch() > fit.epochCount()) {
      throw new IllegalArgumentException(checkpoint + " is from epoch " + saved.epoch() + ", past this fit's "
          + fit.epochCount() + " epochs");
    }
  }

  /**
   * The training order of epoch {@code epoch} (1-based): the identity shuffled {@code epoch} times in
   * a row by one {@code Random(seed)}, which is how {@link #fit} draws it. A pure function of the
   * seed and the epoch, so a resumed run replays the earlier epochs' shuffles to reach it.
   */
  public static int[] epochOrder(int n, long seed, int epoch) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Random rng = new Random(seed);
    for (int e = 1; e <= epoch; e++) Dataset.shuffle(order, rng);
    return order;
  }

  private static final int AUGMENT_SALT = 0x4147;

  private static History run(Network net, Dataset train, Fit fit, int doneEpochs) {
    checkMatch(net, train, "training");
    if (fit.validationData() != null) checkMatch(net, fit.validationData(), "validation");
    if (train.size() == 0) throw new IllegalArgumentException("the training dataset is empty");
    if (fit.shiftSide() > 0 && fit.shiftSide() * fit.shiftSide() != train.featureSize()) {
      throw new IllegalArgumentException("shiftImages(" + fit.shiftSide() + ", ...) needs " + fit.shiftSide() * fit.shiftSide()
          + " features per row but the training dataset has " + train.featureSize());
    }
    boolean early = fit.patience() > 0;
    if (early && (fit.validationData() == null || fit.validationData().size() == 0)) {
      throw new IllegalArgumentException("earlyStopping needs a non-empty dev set: add Fit.validation(dev)");
    }
    boolean byAccuracy = switch (fit.monitorMetric()) {
      case AUTO -> net.classifier();
      case LOSS -> false;
      case ACCURACY -> {
        if (!net.classifier()) throw new IllegalArgumentException("monitoring accuracy needs a classifier; " + net.name() + " is a regression");
        yield true;
      }
    };
    PrintStream log = System.err;
    if (fit.checksDivergence()) net.setDivergenceCheck(true);
    boolean classifier = net.classifier();
    int n = train.size();
    int batch = Math.min(fit.batchSize(), n);
    int outputs = net.outputSize();
    float[] x = new float[batch * train.featureSize()];
    int[] labels = classifier ? new int[batch] : null;
    float[] targets = classifier ? null : new float[batch * outputs];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Random rng = new Random(fit.seed());
    // Resuming after epoch k: replay the k shuffles so epoch k + 1 gets its uninterrupted order.
    if (fit.shuffles()) for (int e = 1; e <= doneEpochs; e++) Dataset.shuffle(order, rng);
    int batches = (n + batch - 1) / batch;
    List<EpochMetrics> epochs = new ArrayList<>(fit.epochCount());
    boolean terminal = ProgressBar.isTerminal();
    // A stream of its own, so adding augmentation leaves the shuffling order unchanged.
    BatchAugmenter augmenter = new BatchAugmenter(fit.seed() ^ 0x5DEECE66DL, fit.shiftSide(), fit.maxShift(), fit.inputNoiseStd());
    boolean augment = augmenter.active();
    float[] params = net.parameters();
    float[] best = early ? params.clone() : null;
    int bestEpoch = 0;
    double bestValue = Double.NaN;
    int sinceBest = 0;
    boolean stoppedEarly = false;

    double[] epochRates = new double[fit.epochCount()];
    for (int epoch = doneEpochs + 1; epoch <= fit.epochCount(); epoch++) {
      long start = System.nanoTime();
      epochRates[epoch - 1] = net.learningRate();
      // The order is epochOrder(n, seed, epoch); augmentation draws from (seed, epoch) alone.
      if (fit.shuffles()) Dataset.shuffle(order, rng);
      if (augment) augmenter.reseed(Seeds.mix(fit.seed(), epoch, AUGMENT_SALT));
      String title = "epoch " + epoch + "/" + fit.epochCount();
      ProgressBar bar = fit.isQuiet() ? null : new ProgressBar(title, n, ProgressBar.Unit.EXAMPLES, log, terminal, false);
      double lossSum = 0;
      long correct = 0;
      int seen = 0;
      for (int b = 0; b < batches; b++) {
        int from = b * batch;
        int count = Math.min(batch, n - from);
        float loss;
        if (classifier) {
          train.copyBatch(order, from, count, x, labels);
          if (augment) augmenter.apply(x, count, train.featureSize());
          loss = net.trainStep(x, labels, count);
        } else {
          train.copyBatch(order, from, count, x, targets);
          if (augment) augmenter.apply(x, count, train.featureSize());
          loss = net.trainStep(x, targets, count);
        }
        if (!Float.isFinite(loss)) {
          if (bar != null) bar.clear();
          throw new IllegalStateException("training of " + net.name() + " diverged: the loss is " + loss + " at epoch "
              + epoch + ", batch " + (b + 1) + "/" + batches + " (examples " + from + ".." + (from + count - 1)
              + " of this epoch's order); try a lower learning rate or check the data for NaN/huge values");
        }
        if (fit.stepListener() != null) fit.stepListener().step(epoch, b, loss);
        if (classifier) correct += countCorrect(net.outputs(), net.outputsOffset(), outputs, labels, count);
        lossSum += (double) loss * count;
        seen += count;
        if (bar != null) bar.update(seen, lossSum / seen, classifier ? (double) correct / seen : Double.NaN);
      }
      double trainSeconds = (System.nanoTime() - start) / 1e9;
      double valLoss = Double.NaN;
      double valAccuracy = Double.NaN;
      if (fit.validationData() != null) {
        Evaluation v = evaluate(net, fit.validationData(), Math.max(batch, 1));
        valLoss = v.loss();
        valAccuracy = v.accuracy();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      EpochMetrics m = new EpochMetrics(epoch, lossSum / n, classifier ? (double) correct / n : Double.NaN,
          valLoss, valAccuracy, seconds);
      epochs.add(m);
      if (bar != null) {
        bar.clear();
        log.println(summary(m, fit.epochCount(), trainSeconds > 0 ? n / trainSeconds : Double.NaN));
        log.flush();
      }
      if (fit.epochListener() != null) fit.epochListener().accept(m);
      if (fit.checkpointFile() != null && epoch % fit.checkpointEpochs() == 0) {
        try {
          Checkpoint.save(net, new TrainerState(epoch, 0, fit.seed()), fit.checkpointFile());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the checkpoint of epoch " + epoch + " to " + fit.checkpointFile(), e);
        }
      }
      if (early) {
        double value = byAccuracy ? valAccuracy : valLoss;
        boolean improved = bestEpoch == 0 || (byAccuracy ? value > bestValue : value < bestValue);
        if (improved && !Double.isNaN(value)) {
          bestEpoch = epoch;
          bestValue = value;
          sinceBest = 0;
          System.arraycopy(params, 0, best, 0, params.length);
        } else if (++sinceBest >= fit.patience()) {
          stoppedEarly = epoch < fit.epochCount();
          if (!fit.isQuiet()) {
            log.printf(Locale.ROOT, "early stopping after epoch %d: no better %s than %.4f (epoch %d) for %d epochs%n",
                epoch, byAccuracy ? "val_acc" : "val_loss", bestValue, bestEpoch, sinceBest);
            log.flush();
          }
          break;
        }
      }
    }
    // through parameters() again: handing out the array tells the model its weights change
    if (early && bestEpoch > 0) System.arraycopy(best, 0, net.parameters(), 0, params.length);
    History history = new History(epochs, early && bestEpoch > 0 ? bestEpoch : epochs.size(), stoppedEarly);
    if (fit.reportDirectory() != null) {
      double[] rates = fit.reportLearningRateValues();
      if (rates == null || rates.length == 0) {
        // The model's own schedule, read at the start of each epoch run here.
        rates = java.util.Arrays.copyOfRange(epochRates, doneEpochs, doneEpochs + epochs.size());
        if (java.util.Arrays.stream(rates).anyMatch(Double::isNaN)) rates = null;
      }
      TrainingReport.Files files = TrainingReport.write(net, history, fit.validationData(), rates,
          n, fit.reportDirectory());
      if (!fit.isQuiet()) {
        log.println("report: " + files.html().toAbsolutePath() + " (metrics: " + files.csv().getFileName() + ")");
        log.flush();
      }
    }
    return history;
  }

  /** The line printed after an epoch: {@code epoch 3/10  loss 0.2345  acc 0.931  val_loss ...  (2.1 s)}. */
  public static String summary(EpochMetrics m, int epochs) {
    StringBuilder b = new StringBuilder();
    b.append("epoch ").append(m.epoch()).append('/').append(epochs);
    b.append(String.format(Locale.ROOT, "  loss %.4f", m.loss()));
    if (!Double.isNaN(m.accuracy())) b.append(String.format(Locale.ROOT, "  acc %.3f", m.accuracy()));
    if (!Double.isNaN(m.valLoss())) b.append(String.format(Locale.ROOT, "  val_loss %.4f", m.valLoss()));
    if (!Double.isNaN(m.valAccuracy())) b.append(String.format(Locale.ROOT, "  val_acc %.3f", m.valAccuracy()));
    b.append(String.format(Locale.ROOT, "  (%.1f s)", m.seconds()));
    return b.toString();
  }

  /**
   * The epoch line with the training throughput (examples per second of the training steps, so
   * without the validation pass):
   * {@code epoch 3/10  loss 0.2345  acc 0.931  val_loss ...  (2.1 s, 3.8k ex/s)}.
   */
  public static String summary(EpochMetrics m, int epochs, double examplesPerSecond) {
    String line = summary(m, epochs);
    if (!(examplesPerSecond > 0) || Double.isInfinite(examplesPerSecond)) return line;
    return line.substring(0, line.length() - 1) + ", " + ProgressBar.compact(examplesPerSecond) + " ex/s)";
  }

  /** Measures {@code net} on {@code data} with {@link Network#predict} in batches of {@link #EVAL_BATCH}. */
  public static Evaluation evaluate(Network net, Dataset data) {
    return evaluate(net, data, EVAL_BATCH);
  }

  /**
   * Measures {@code net} on {@code data} with {@link Network#predict} in batches of {@code batch}:
   * for a classifier the mean of {@code -ln(max(p[label], MIN_PROBABILITY))} and the argmax
   * accuracy; for a regression the mean squared error over all target values.
   */
  public static Evaluation evaluate(Network net, Dataset data, int batch) {
    checkMatch(net, data, "evaluation");
    if (batch <= 0) throw new IllegalArgumentException("batch size must be positive, got " + batch);
    int n = data.size();
    if (n == 0) return new Evaluation(Double.NaN, Double.NaN, 0);
    batch = Math.min(batch, n);
    int outputs = net.outputSize();
    boolean classifier = net.classifier();
    float[] x = new float[batch * data.featureSize()];
    float[] out = new float[batch * outputs];
    int[] labels = classifier ? new int[batch] : null;
    float[] targets = classifier ? null : new float[batch * outputs];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    double lossSum = 0;
    long correct = 0;
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      if (classifier) {
        data.copyBatch(order, from, count, x, labels);
        net.predict(x, count, out);
        correct += countCorrect(out, 0, outputs, labels, count);
        for (int i = 0; i < count; i++) {
          lossSum -= Math.log(Math.max(out[i * outputs + labels[i]], MIN_PROBABILITY));
        }
      } else {
        data.copyBatch(order, from, count, x, targets);
        net.predict(x, count, out);
        for (int i = 0; i < count * outputs; i++) {
          double d = out[i] - targets[i];
          lossSum += d * d;
        }
      }
    }
    return classifier
        ? new Evaluation(lossSum / n, (double) correct / n, n)
        : new Evaluation(lossSum / ((double) n * outputs), Double.NaN, n);
  }

  /** The fraction of examples whose argmax prediction equals the label. */
  public static double accuracy(Network net, Dataset data) {
    if (!net.classifier()) throw new IllegalArgumentException("accuracy needs a classifier; " + net.name() + " is a regression");
    return evaluate(net, data).accuracy();
  }

  /** Index of the largest of {@code out[offset .. offset+size)} (the first, on ties). */
  public static int argmax(float[] out, int offset, int size) {
    int best = 0;
    float max = out[offset];
    for (int j = 1; j < size; j++) {
      if (out[offset + j] > max) {
        max = out[offset + j];
        best = j;
      }
    }
    return best;
  }

  private static int countCorrect(float[] out, int offset, int outputs, int[] labels, int count) {
    int correct = 0;
    for (int i = 0; i < count; i++) {
      if (argmax(out, offset + i * outputs, outputs) == labels[i]) correct++;
    }
    return correct;
  }

  private static void checkMatch(Network net, Dataset data, String role) {
    String who = "network " + net.name();
    if (data.featureSize() != net.inputSize()) {
      throw new IllegalArgumentException("the " + role + " dataset has " + data.featureSize() + " features per row but "
          + who + " has inputSize " + net.inputSize());
    }
    if (net.classifier() && !data.isClassification()) {
      throw new IllegalArgumentException(who + " is a classifier (trained with int labels) but the " + role
          + " dataset has " + data.targetSize() + " float targets per row; use Dataset.ofLabels");
    }
    if (!net.classifier() && data.isClassification()) {
      throw new IllegalArgumentException(who + " is a regression (trained with float targets) but the " + role
          + " dataset has int labels (" + data.classes() + " classes); use Dataset.ofTargets");
    }
    if (data.outputSize() != net.outputSize()) {
      throw new IllegalArgumentException("the " + role + " dataset has "
          + (data.isClassification() ? data.classes() + " classes" : data.targetSize() + " targets per row")
          + " but " + who + " has outputSize " + net.outputSize());
    }
  }
}
