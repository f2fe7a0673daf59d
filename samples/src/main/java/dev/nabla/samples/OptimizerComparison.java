package dev.nabla.samples;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Mnist;
import dev.nabla.runtime.report.TrainingReport;
import dev.nabla.runtime.train.EpochMetrics;
import dev.nabla.runtime.train.Fit;
import dev.nabla.runtime.train.History;
import dev.nabla.runtime.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * Trains the 784-16-16-10 sigmoid digit net once per optimiser ({@link DigitOptimizers}) with the same
 * seed, the same data ({@link Mnist#npmSplit()}: 8,000 training and 2,000 test digits), the same
 * number of epochs and batches of 32, then prints a table (optimiser, final training loss, test loss
 * and accuracy, seconds), writes each run's report into {@code <report>/<name>/} and one page
 * {@code <report>/comparison.html} with every run's training and test loss curves on shared charts.
 *
 * <pre>
 * usage: OptimizerComparison [--epochs N] [--seed S] [--report DIR]
 *   --epochs N    epochs per optimiser (default 15)
 *   --seed S      weight and shuffling seed, the same for every run (default 42)
 *   --report DIR  default target/optimizer-comparison under the working directory
 * </pre>
 */
public final class OptimizerComparison {
  public static final int EPOCHS = 15;
  public static final int BATCH = 32;
  /** The combined page's file name in the report directory. */
  public static final String HTML_FILE = "comparison.html";

  /**
   * One optimiser: a short directory name, the table label, its settings (as declared in
   * {@link DigitOptimizers}; the annotation is not kept at run time) and the learning rate for the report.
   */
  public record Entry(String name, String label, String settings, LongFunction<Network> create) {}

  /** One finished run. */
  public record Row(Entry entry, History history, double testLoss, double testAccuracy, double seconds) {}

  /** The ten optimisers in table order. */
  public static final List<Entry> ENTRIES = List.of(
      new Entry("sgd", "SGD", "lr 0.5", DigitOptimizers_SgdModel::create),
      new Entry("momentum", "SGD + momentum", "lr 0.1, momentum 0.9", DigitOptimizers_MomentumModel::create),
      new Entry("nesterov", "Nesterov", "lr 0.1, momentum 0.9", DigitOptimizers_NesterovModel::create),
      new Entry("adagrad", "AdaGrad", "lr 0.1", DigitOptimizers_AdaGradModel::create),
      new Entry("rmsprop", "RMSProp", "lr 0.003, α 0.99", DigitOptimizers_RmsPropModel::create),
      new Entry("adadelta", "AdaDelta", "lr 1.0, ρ 0.9", DigitOptimizers_AdaDeltaModel::create),
      new Entry("adam", "Adam", "lr 0.003", DigitOptimizers_AdamModel::create),
      new Entry("adamw", "AdamW", "lr 0.003, λ 0.01", DigitOptimizers_AdamWModel::create),
      new Entry("adamax", "Adamax", "lr 0.01", DigitOptimizers_AdamaxModel::create),
      new Entry("nadam", "NAdam", "lr 0.003", DigitOptimizers_NAdamModel::create));

  private OptimizerComparison() {}

  public static void main(String[] argv) {
    String[] args = SampleArgs.words(argv);
    int epochs = EPOCHS;
    long seed = 42;
    Path report = Path.of("target", "optimizer-comparison");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--epochs" -> epochs = Integer.parseInt(SampleArgs.value(args, ++i));
        case "--seed" -> seed = Long.parseLong(SampleArgs.value(args, ++i));
        case "--report" -> report = Path.of(SampleArgs.value(args, ++i));
        case "" -> { }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i]
            + "'; usage: OptimizerComparison [--epochs N] [--seed S] [--report DIR]");
      }
    }
    Mnist.Split data = Mnist.npmSplit();
    System.out.printf(Locale.ROOT, "784-16-16-10 sigmoid net, %,d training and %,d test digits, %d epochs, batch %d, seed %d%n",
        data.train().size(), data.test().size(), epochs, BATCH, seed);
    // Warm the JIT up on every model first (one quiet epoch on 500 digits), so the first run's
    // seconds are not mostly compilation.
    Dataset warm = data.train().subset(0, 500);
    for (Entry e : ENTRIES) e.create().apply(seed).fit(warm, Fit.epochs(1).batch(BATCH).quiet());
    List<Row> rows = run(data.train(), data.test(), epochs, seed, report, true);
    System.out.println(table(rows));
    System.out.println("reports: " + report.toAbsolutePath() + "/<optimiser>/" + TrainingReport.HTML_FILE);
    System.out.println("loss curves: " + report.resolve(HTML_FILE).toAbsolutePath());
  }

  /**
   * Trains every entry on {@code train} with {@code test} as validation set, writes each report into
   * {@code reportDir/<name>} and the combined page {@code reportDir/}{@value #HTML_FILE}.
   */
  public static List<Row> run(Dataset train, Dataset test, int epochs, long seed, Path reportDir, boolean progress) {
    List<Row> rows = new ArrayList<>();
    for (Entry e : ENTRIES) {
      Network net = e.create().apply(seed);
      Fit fit = Fit.epochs(epochs).batch(BATCH).shuffleSeed(seed).validation(test)
          .report(reportDir.resolve(e.name())).quiet();
      long start = System.nanoTime();
      History h = net.fit(train, fit);
      double seconds = (System.nanoTime() - start) / 1e9;
      var ev = Trainer.evaluate(net, test);
      Row row = new Row(e, h, ev.loss(), ev.accuracy(), seconds);
      rows.add(row);
      if (progress) {
        System.err.printf(Locale.ROOT, "%-15s train loss %.4f, test accuracy %.4f, %.1f s%n", e.label(),
            h.last().loss(), ev.accuracy(), seconds);
      }
    }
    write(reportDir.resolve(HTML_FILE), html(rows, train.size(), test.size()));
    return rows;
  }

  /** The Markdown table of the runs. */
  public static String table(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| optimiser | settings | final train loss | test loss | test accuracy | seconds |\n");
    b.append("|---|---|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %.1f |%n", r.entry().label(),
          r.entry().settings(), r.history().last().loss(), r.testLoss(), r.testAccuracy(), r.seconds()));
    }
    return b.toString().stripTrailing();
  }

  // ---- the combined page ----------------------------------------------------------------------

  private static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
      "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

  /** The combined page: the table and two inline-SVG charts (training loss, test loss per epoch), one curve per run. */
  public static String html(List<Row> rows, int trainSize, int testSize) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Optimiser comparison</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child,")
        .append("td:nth-child(2){text-align:left}svg{font-size:12px}</style></head><body>\n")
        .append("<h1>Optimiser comparison: 784-16-16-10 sigmoid digit net</h1>\n");
    int epochs = rows.isEmpty() ? 0 : rows.get(0).history().size();
    b.append(String.format(Locale.ROOT, "<p>%,d training and %,d test digits, %d epochs, batches of %d, the same seed for every run.</p>%n",
        trainSize, testSize, epochs, BATCH));
    b.append("<table><tr><th>optimiser</th><th>settings</th><th>final train loss</th><th>test loss</th>")
        .append("<th>test accuracy</th><th>seconds</th><th>report</th></tr>\n");
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      b.append(String.format(Locale.ROOT,
          "<tr><td><span style=\"color:%s\">&#9632;</span> %s</td><td>%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td><td>%.1f</td>"
              + "<td><a href=\"%s/%s\">%s</a></td></tr>%n",
          COLORS[i % COLORS.length], escape(r.entry().label()), escape(r.entry().settings()), r.history().last().loss(),
          r.testLoss(), r.testAccuracy(), r.seconds(), r.entry().name(), TrainingReport.HTML_FILE, r.entry().name()));
    }
    b.append("</table>\n<h2>Training loss per epoch (log scale)</h2>\n");
    b.append(chart(rows, false));
    b.append("<h2>Test loss per epoch (log scale)</h2>\n");
    b.append(chart(rows, true));
    b.append("</body></html>\n");
    return b.toString();
  }

  private static String chart(List<Row> rows, boolean validation) {
    int w = 900, h = 420, left = 60, right = 150, top = 15, bottom = 40;
    int pw = w - left - right, ph = h - top - bottom;
    int epochs = 1;
    double lo = Double.POSITIVE_INFINITY, hi = 0;
    for (Row r : rows) {
      epochs = Math.max(epochs, r.history().size());
      for (EpochMetrics m : r.history().epochs()) {
        double v = validation ? m.valLoss() : m.loss();
        if (v > 0 && Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (!(hi > 0)) return "<p>no losses recorded</p>\n";
    double logLo = Math.floor(Math.log10(lo) * 2) / 2, logHi = Math.ceil(Math.log10(hi) * 2) / 2;
    if (logHi <= logLo) logHi = logLo + 0.5;
    final double fLo = logLo, fHi = logHi;
    final int fEpochs = epochs;
    java.util.function.DoubleUnaryOperator y = v -> top + ph * (fHi - Math.log10(v)) / (fHi - fLo);
    java.util.function.IntToDoubleFunction x = e -> left + (fEpochs == 1 ? pw / 2.0 : pw * (e - 1.0) / (fEpochs - 1));
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n", w, h, w, h));
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", left, top, pw, ph));
    for (double d = fLo; d <= fHi + 1e-9; d += 0.5) { // grid at 1, 3.16, 10... of each decade
      double v = Math.pow(10, d);
      double yy = y.applyAsDouble(v);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
          + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left, left + pw, yy, yy, left - 5, yy + 4, tick(v)));
    }
    for (int e = 1; e <= epochs; e++) {
      double xx = x.applyAsDouble(e);
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", xx, top + ph + 16, e));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">epoch</text>%n", left + pw / 2.0, h - 5));
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      String color = COLORS[i % COLORS.length];
      StringBuilder pts = new StringBuilder();
      for (EpochMetrics m : r.history().epochs()) {
        double v = validation ? m.valLoss() : m.loss();
        if (!(v > 0) || !Double.isFinite(v)) continue;
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.applyAsDouble(m.epoch()), y.applyAsDouble(v)));
      }
      b.append(String.format(Locale.ROOT, "<polyline class=\"curve\" data-optimizer=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
          + "points=\"%s\"><title>%s</title></polyline>%n", r.entry().name(), color, pts.toString().strip(), escape(r.entry().label())));
      int ly = top + 10 + i * 18;
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>"
          + "<text x=\"%d\" y=\"%d\">%s</text>%n", left + pw + 10, left + pw + 30, ly, ly, color, left + pw + 35, ly + 4, escape(r.entry().label())));
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static String tick(double v) {
    return v >= 1 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.2g", v);
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

}
