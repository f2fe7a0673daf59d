package dev.nabla.runtime.report;

import dev.nabla.runtime.Network;
import dev.nabla.runtime.ParameterSpec;
import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.train.EpochMetrics;
import dev.nabla.runtime.train.History;
import dev.nabla.runtime.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The report of a training run: one self-contained HTML page ({@value #HTML_FILE}: inline CSS and
 * SVG, no external files, scripts or fonts) and the per-epoch metrics as CSV ({@value #CSV_FILE}).
 *
 * <p>The page holds line charts of the training and validation loss and accuracy per epoch, the
 * learning-rate curve, the confusion matrix of a classifier on the validation set and, for an
 * image model, the first layer's weights drawn as images: when the input size is a perfect square
 * (784 = 28²) and the first {@code *.weight} parameter has shape (units, inputSize), each unit's
 * weight row is shown as a side × side grayscale PNG (mid-gray 0, white positive, black
 * negative, scaled per unit by its largest magnitude).
 *
 * <p>The confusion matrix and the weight images are taken from the network when the report is
 * constructed; rendering and writing read nothing else from it.
 */
public final class TrainingReport {
  public static final String HTML_FILE = "report.html";
  public static final String CSV_FILE = "metrics.csv";
  /** The first layer's images shown at most; more units are summarised in the caption. */
  public static final int MAX_WEIGHT_IMAGES = 128;

  /** The two files written by {@link #write(Path)}. */
  public record Files(Path html, Path csv) {}

  /** One weight row as an image. */
  private record WeightImage(int unit, byte[] png, double maxAbs) {}

  private final String name;
  private final boolean classifier;
  private final int parameterCount;
  private final History history;
  private final double[] learningRates;
  private final int trainExamples;
  private final int[][] confusion; // [true][predicted], or null
  private final String weightTensor; // name of the drawn tensor, or null
  private final int weightUnits;
  private final int side;
  private final List<WeightImage> weights;

  /**
   * A report on {@code net} after the run recorded in {@code history}.
   *
   * @param validation the data for the confusion matrix (a classifier's held-out set), or null
   * @param learningRates the learning rate per epoch ({@code history.size()} values), one value
   *     (constant), per step (more values than epochs, spread evenly over the epochs), or null or
   *     empty when not recorded
   * @param trainExamples training examples per epoch, for the throughput column (0 if unknown)
   */
  public TrainingReport(Network net, History history, Dataset validation, double[] learningRates, int trainExamples) {
    if (net == null || history == null) throw new IllegalArgumentException("network and history must not be null");
    if (trainExamples < 0) throw new IllegalArgumentException("trainExamples must not be negative, got " + trainExamples);
    this.name = net.name();
    this.classifier = net.classifier();
    this.parameterCount = net.parameters().length;
    this.history = history;
    this.learningRates = learningRates == null ? new double[0] : learningRates.clone();
    if (this.learningRates.length > 1 && this.learningRates.length < history.size()) {
      throw new IllegalArgumentException(this.learningRates.length + " learning rates for " + history.size()
          + " epochs; give one, one per epoch or one per step");
    }
    this.trainExamples = trainExamples;
    this.confusion = classifier && validation != null && validation.size() > 0 ? confusion(net, validation) : null;

    ParameterSpec first = firstImageWeights(net);
    List<WeightImage> images = new ArrayList<>();
    if (first != null) {
      int[] shape = first.shape();
      int in = shape[1];
      this.side = (int) Math.round(Math.sqrt(in));
      this.weightTensor = first.name();
      this.weightUnits = shape[0];
      float[] p = net.parameters();
      for (int u = 0; u < Math.min(shape[0], MAX_WEIGHT_IMAGES); u++) {
        int off = first.offset() + u * in;
        double max = 0;
        for (int i = 0; i < in; i++) max = Math.max(max, Math.abs(p[off + i]));
        byte[] px = new byte[in];
        for (int i = 0; i < in; i++) {
          double v = max > 0 ? p[off + i] / max : 0;
          px[i] = (byte) Math.max(0, Math.min(255, Math.round(127.5 + 127.5 * v)));
        }
        images.add(new WeightImage(u, Png.gray(side, side, px), max));
      }
    } else {
      this.side = 0;
      this.weightTensor = null;
      this.weightUnits = 0;
    }
    this.weights = List.copyOf(images);
  }

  /** Renders and writes {@value #HTML_FILE} and {@value #CSV_FILE} into {@code dir}; see the constructor. */
  public static Files write(Network net, History history, Dataset validation, double[] learningRates, int trainExamples,
      Path dir) {
    return new TrainingReport(net, history, validation, learningRates, trainExamples).write(dir);
  }

  /**
   * Writes {@value #HTML_FILE} and {@value #CSV_FILE} into {@code dir} (created if missing), each
   * to a temporary file in the same directory first and then moved into place, so a reader never
   * sees half a file.
   */
  public Files write(Path dir) {
    try {
      java.nio.file.Files.createDirectories(dir);
      Path html = dir.resolve(HTML_FILE);
      Path csv = dir.resolve(CSV_FILE);
      writeAtomically(csv, csv());
      writeAtomically(html, html());
      return new Files(html, csv);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the training report to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void writeAtomically(Path target, String content) throws IOException {
    // A fresh name in the same directory (so the move stays on one file system), created with the
    // default permissions rather than createTempFile's owner-only ones.
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
        + System.nanoTime() + ".tmp");
    try {
      java.nio.file.Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE);
      try {
        java.nio.file.Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        java.nio.file.Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Data

  /**
   * The confusion matrix of a classifier on {@code data}, predicted in batches of
   * {@link Trainer#EVAL_BATCH}: {@code m[true][predicted]} counts, summing to {@code data.size()}.
   */
  public static int[][] confusion(Network net, Dataset data) {
    if (!net.classifier()) throw new IllegalArgumentException("a confusion matrix needs a classifier; " + net.name() + " is a regression");
    if (!data.isClassification() || data.classes() != net.outputSize() || data.featureSize() != net.inputSize()) {
      throw new IllegalArgumentException(data + " does not match network " + net.name() + " (" + net.inputSize()
          + " inputs, " + net.outputSize() + " classes)");
    }
    int k = net.outputSize();
    int n = data.size();
    int[][] m = new int[k][k];
    if (n == 0) return m;
    int batch = Math.min(Trainer.EVAL_BATCH, n);
    float[] x = new float[batch * data.featureSize()];
    float[] out = new float[batch * k];
    int[] labels = new int[batch];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int from = 0; from < n; from += batch) {
      int count = Math.min(batch, n - from);
      data.copyBatch(order, from, count, x, labels);
      net.predict(x, count, out);
      for (int i = 0; i < count; i++) m[labels[i]][Trainer.argmax(out, i * k, k)]++;
    }
    return m;
  }

  /** The first {@code *.weight} tensor if it has shape (units, inputSize) and inputSize is a square ≥ 4, else null. */
  static ParameterSpec firstImageWeights(Network net) {
    int in = net.inputSize();
    int side = (int) Math.round(Math.sqrt(in));
    if (in < 4 || side * side != in) return null;
    for (ParameterSpec s : net.parameterSpecs()) {
      if (!s.name().endsWith(".weight")) continue;
      int[] shape = s.shape();
      return shape.length == 2 && shape[1] == in && shape[0] > 0 ? s : null;
    }
    return null;
  }

  /** The confusion matrix ({@code [true][predicted]}), or null without validation data or for a regression. */
  public int[][] confusion() {
    if (confusion == null) return null;
    int[][] c = new int[confusion.length][];
    for (int i = 0; i < c.length; i++) c[i] = confusion[i].clone();
    return c;
  }

  /** How many weight images the page shows (0 for a model that is not an image model). */
  public int weightImageCount() {
    return weights.size();
  }

  /** The learning rate of epoch {@code e} (from 1): its own value, the constant, or that of its first step; NaN if not recorded. */
  public double learningRate(int epoch) {
    int n = learningRates.length;
    if (n == 0) return Double.NaN;
    if (n == 1) return learningRates[0];
    if (n == history.size()) return learningRates[epoch - 1];
    return learningRates[(int) ((long) (epoch - 1) * n / history.size())];
  }

  // ---------------------------------------------------------------------------------------------
  // CSV

  /**
   * The per-epoch metrics as CSV with a header line; values that do not apply are empty.
   * {@code examples_per_second} is the training examples over the epoch's {@code seconds}, which
   * include the validation pass.
   */
  public String csv() {
    StringBuilder b = new StringBuilder();
    b.append("epoch,loss,accuracy,val_loss,val_accuracy,seconds,examples_per_second,learning_rate\n");
    for (EpochMetrics m : history.epochs()) {
      b.append(m.epoch()).append(',').append(num(m.loss())).append(',').append(num(m.accuracy())).append(',')
          .append(num(m.valLoss())).append(',').append(num(m.valAccuracy())).append(',').append(num(m.seconds()))
          .append(',').append(num(throughput(m))).append(',').append(num(learningRate(m.epoch()))).append('\n');
    }
    return b.toString();
  }

  private double throughput(EpochMetrics m) {
    return trainExamples > 0 && m.seconds() > 0 ? trainExamples / m.seconds() : Double.NaN;
  }

  private static String num(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return "";
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.6g", v).replaceFirst("(\\.\\d*?)0+(e|$)", "$1$2").replaceFirst("\\.(e|$)", "$1");
  }

  // ---------------------------------------------------------------------------------------------
  // HTML

  private static final String CSS = """
      :root{--ink:#1f2933;--muted:#61707f;--line:#d9dee4;--bg:#f5f7fa;--card:#fff;--train:#2563eb;--val:#e8590c;--lr:#2f9e44}
      *{box-sizing:border-box}
      body{margin:0;padding:24px 28px 40px;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",Arial,sans-serif}
      h1{font-size:22px;margin:0 0 4px}
      h2{font-size:15px;margin:0 0 10px}
      .sub{color:var(--muted);margin:0 0 18px}
      .stats{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 18px;padding:0;list-style:none}
      .stats li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:120px}
      .stats b{display:block;font-size:18px}
      .stats span{color:var(--muted);font-size:12px}
      .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:18px}
      section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
      section.wide{grid-column:1/-1}
      svg{display:block;max-width:100%;height:auto}
      svg text{font-family:inherit;fill:var(--ink)}
      .axis line,.axis path{stroke:#8a96a3;stroke-width:1}
      .gridline{stroke:#edf0f3;stroke-width:1}
      .tick{font-size:11px;fill:var(--muted)}
      .label{font-size:12px;fill:var(--muted)}
      .note{color:var(--muted);font-size:12px;margin:8px 0 0}
      table{border-collapse:collapse;font-size:12.5px;width:100%}
      th,td{padding:4px 8px;text-align:right;border-bottom:1px solid var(--line)}
      th{color:var(--muted);font-weight:600}
      .weights image{image-rendering:pixelated}
      """;

  /** The whole page. */
  public String html() {
    StringBuilder b = new StringBuilder(64 * 1024);
    String title = "Training report: " + name;
    b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append("</title>\n")
        .append("<script>window.onerror=function(m){var d=document.documentElement;")
        .append("d.setAttribute('data-errors',(d.getAttribute('data-errors')||'')+m+';');};</script>\n")
        .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
    b.append("<h1>").append(esc(title)).append("</h1>\n");
    b.append("<p class=\"sub\">").append(esc(classifier ? "classifier" : "regression")).append(" · ")
        .append(String.format(Locale.ROOT, "%,d", parameterCount)).append(" parameters · ")
        .append(history.size()).append(history.size() == 1 ? " epoch" : " epochs").append("</p>\n");
    stats(b);
    b.append("<div class=\"grid\">\n");

    List<Series> loss = new ArrayList<>();
    loss.add(series("train", "var(--train)", EpochMetrics::loss));
    loss.add(series("validation", "var(--val)", EpochMetrics::valLoss));
    section(b, "Loss", lineChart("chart-loss", "loss per epoch", classifier ? "cross-entropy" : "mean squared error",
        loss, true, false), null);

    if (classifier) {
      List<Series> acc = new ArrayList<>();
      acc.add(series("train", "var(--train)", EpochMetrics::accuracy));
      acc.add(series("validation", "var(--val)", EpochMetrics::valAccuracy));
      section(b, "Accuracy", lineChart("chart-accuracy", "accuracy per epoch", "accuracy", acc, false, true),
          "Training accuracy is measured during the epoch, while the weights change; validation after it.");
    }

    if (learningRates.length > 0) {
      section(b, "Learning rate", lineChart("chart-lr", "learning rate", "learning rate", List.of(lrSeries()), true, false),
          learningRates.length == 1 ? "Constant over the run." : null);
    } else {
      section(b, "Learning rate", null, "No learning rate was recorded for this run.");
    }

    if (confusion != null) {
      int total = 0;
      for (int[] row : confusion) for (int c : row) total += c;
      section(b, "Confusion matrix (validation)", confusionChart(),
          String.format(Locale.ROOT, "%,d validation examples; rows are the true class, columns the predicted one; "
              + "shading is the share of the row.", total));
    } else if (classifier) {
      section(b, "Confusion matrix", null, "No validation set was given, so there is no confusion matrix.");
    }

    if (!weights.isEmpty()) {
      String note = String.format(Locale.ROOT, "Each %d×%d image is one unit's row of %s: mid-gray is 0, "
              + "white positive, black negative, scaled per unit.%s", side, side, esc(weightTensor),
          weightUnits > weights.size() ? " The first " + weights.size() + " of " + weightUnits + " units." : "");
      b.append("<section class=\"wide\">\n<h2>First layer weights: ").append(esc(weightTensor)).append("</h2>\n")
          .append(weightsChart()).append("<p class=\"note\">").append(note).append("</p>\n</section>\n");
    }

    epochTable(b);
    b.append("</div>\n");
    b.append("<script>(function(){var b=document.body;")
        .append("b.setAttribute('data-charts',String(document.querySelectorAll('svg.chart').length));")
        .append("b.setAttribute('data-ok','1');})();</script>\n");
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  private void stats(StringBuilder b) {
    if (history.size() == 0) return;
    EpochMetrics last = history.last();
    double seconds = 0;
    for (EpochMetrics m : history.epochs()) seconds += m.seconds();
    b.append("<ul class=\"stats\">\n");
    stat(b, fmt(last.loss(), 4), "final train loss");
    if (classifier) stat(b, fmt(last.accuracy(), 3), "final train accuracy");
    if (last.hasValidation()) {
      stat(b, fmt(last.valLoss(), 4), "final validation loss");
      if (classifier) stat(b, fmt(last.valAccuracy(), 3), "final validation accuracy");
    }
    stat(b, String.format(Locale.ROOT, "%.1f s", seconds), "training time");
    double rate = throughput(last);
    if (!Double.isNaN(rate)) stat(b, compact(rate) + " ex/s", "throughput (last epoch)");
    b.append("</ul>\n");
  }

  private static void stat(StringBuilder b, String value, String label) {
    b.append("<li><b>").append(esc(value)).append("</b><span>").append(esc(label)).append("</span></li>\n");
  }

  private static void section(StringBuilder b, String heading, String svg, String note) {
    b.append("<section>\n<h2>").append(esc(heading)).append("</h2>\n");
    if (svg != null) b.append(svg);
    if (note != null) b.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
    b.append("</section>\n");
  }

  private void epochTable(StringBuilder b) {
    b.append("<section class=\"wide\">\n<h2>Per epoch</h2>\n<table id=\"epochs\">\n<thead><tr><th>epoch</th><th>loss</th>");
    if (classifier) b.append("<th>accuracy</th>");
    b.append("<th>val loss</th>");
    if (classifier) b.append("<th>val accuracy</th>");
    b.append("<th>seconds</th><th>ex/s</th><th>learning rate</th></tr></thead>\n<tbody>\n");
    for (EpochMetrics m : history.epochs()) {
      b.append("<tr><td>").append(m.epoch()).append("</td><td>").append(fmt(m.loss(), 4)).append("</td>");
      if (classifier) b.append("<td>").append(fmt(m.accuracy(), 4)).append("</td>");
      b.append("<td>").append(fmt(m.valLoss(), 4)).append("</td>");
      if (classifier) b.append("<td>").append(fmt(m.valAccuracy(), 4)).append("</td>");
      double rate = throughput(m);
      b.append("<td>").append(fmt(m.seconds(), 2)).append("</td><td>").append(Double.isNaN(rate) ? "–" : compact(rate))
          .append("</td><td>").append(Double.isNaN(learningRate(m.epoch())) ? "–" : num(learningRate(m.epoch())))
          .append("</td></tr>\n");
    }
    b.append("</tbody>\n</table>\n<p class=\"note\">The same numbers are in ").append(CSV_FILE)
        .append(" next to this page.</p>\n</section>\n");
  }

  // ---------------------------------------------------------------------------------------------
  // Charts

  private record Series(String label, String color, double[] x, double[] y) {
    boolean empty() {
      for (double v : y) if (!Double.isNaN(v)) return false;
      return true;
    }
  }

  private Series series(String label, String color, java.util.function.ToDoubleFunction<EpochMetrics> f) {
    int n = history.size();
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      EpochMetrics m = history.epoch(i + 1);
      x[i] = m.epoch();
      y[i] = f.applyAsDouble(m);
    }
    return new Series(label, color, x, y);
  }

  private Series lrSeries() {
    int n = learningRates.length;
    int epochs = history.size();
    if (n == 1) return new Series("learning rate", "var(--lr)", new double[] {1, Math.max(epochs, 1)},
        new double[] {learningRates[0], learningRates[0]});
    double[] x = new double[n];
    double[] y = learningRates.clone();
    // Per epoch: epoch e at x = e. Per step: step s at 1 + s·epochs/n, so the curve spans the run.
    for (int i = 0; i < n; i++) x[i] = n == epochs ? i + 1 : 1 + (double) i * epochs / n;
    return new Series("learning rate", "var(--lr)", x, y);
  }

  private static final int W = 540;
  private static final int H = 300;
  private static final int ML = 62;
  private static final int MR = 18;
  private static final int MT = 34;
  private static final int MB = 46;

  /** A line chart with axes, gridlines, axis labels and a legend; NaN values break the line. */
  private String lineChart(String id, String title, String yLabel, List<Series> all, boolean fromZero, boolean unit) {
    List<Series> series = all.stream().filter(s -> !s.empty()).toList();
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart\" id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(W).append(' ').append(H).append("\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n<title>").append(esc(title)).append("</title>\n");
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        xMin = Math.min(xMin, s.x[i]);
        xMax = Math.max(xMax, s.x[i]);
        if (Double.isNaN(s.y[i]) || Double.isInfinite(s.y[i])) continue;
        yMin = Math.min(yMin, s.y[i]);
        yMax = Math.max(yMax, s.y[i]);
      }
    }
    if (series.isEmpty()) {
      xMin = 1;
      xMax = 1;
      yMin = 0;
      yMax = 1;
    }
    if (xMax <= xMin) {
      xMin -= 0.5;
      xMax += 0.5;
    }
    if (fromZero && yMin > 0) yMin = 0;
    if (unit) {
      yMax = Math.min(1, yMax + 0.02);
      yMin = Math.max(0, yMin - 0.02);
    }
    double[] yTicks = ticks(yMin, yMax, 5);
    yMin = Math.min(yMin, yTicks[0]);
    yMax = Math.max(yMax, yTicks[yTicks.length - 1]);
    if (yMax <= yMin) yMax = yMin + 1;
    double[] xTicks = epochTicks(xMin, xMax);
    double pw = W - ML - MR;
    double ph = H - MT - MB;
    final double fx0 = xMin, fx1 = xMax, fy0 = yMin, fy1 = yMax;
    java.util.function.DoubleUnaryOperator px = v -> ML + (v - fx0) / (fx1 - fx0) * pw;
    java.util.function.DoubleUnaryOperator py = v -> MT + ph - (v - fy0) / (fy1 - fy0) * ph;

    b.append("<g class=\"grid-y\">\n");
    for (double t : yTicks) {
      double y = py.applyAsDouble(t);
      b.append("<line class=\"gridline\" x1=\"").append(ML).append("\" x2=\"").append(W - MR).append("\" y1=\"").append(c(y))
          .append("\" y2=\"").append(c(y)).append("\"/>\n");
      b.append("<text class=\"tick\" x=\"").append(ML - 6).append("\" y=\"").append(c(y + 4)).append("\" text-anchor=\"end\">")
          .append(esc(tickLabel(t, yTicks))).append("</text>\n");
    }
    b.append("</g>\n<g class=\"axis\">\n");
    b.append("<line x1=\"").append(ML).append("\" x2=\"").append(ML).append("\" y1=\"").append(MT).append("\" y2=\"")
        .append(MT + (int) ph).append("\"/>\n");
    b.append("<line x1=\"").append(ML).append("\" x2=\"").append(W - MR).append("\" y1=\"").append(MT + (int) ph)
        .append("\" y2=\"").append(MT + (int) ph).append("\"/>\n");
    for (double t : xTicks) {
      double x = px.applyAsDouble(t);
      b.append("<line x1=\"").append(c(x)).append("\" x2=\"").append(c(x)).append("\" y1=\"").append(MT + (int) ph)
          .append("\" y2=\"").append(MT + (int) ph + 5).append("\"/>\n");
      b.append("<text class=\"tick\" x=\"").append(c(x)).append("\" y=\"").append(MT + (int) ph + 18)
          .append("\" text-anchor=\"middle\">").append((long) t).append("</text>\n");
    }
    b.append("</g>\n");
    b.append("<text class=\"label\" x=\"").append(c(ML + pw / 2)).append("\" y=\"").append(H - 8)
        .append("\" text-anchor=\"middle\">epoch</text>\n");
    b.append("<text class=\"label\" transform=\"translate(14 ").append(c(MT + ph / 2))
        .append(") rotate(-90)\" text-anchor=\"middle\">").append(esc(yLabel)).append("</text>\n");

    boolean dots = history.size() <= 60;
    for (Series s : series) {
      b.append("<g class=\"series\" data-series=\"").append(esc(s.label)).append("\">\n");
      StringBuilder pts = new StringBuilder();
      for (int i = 0; i <= s.x.length; i++) {
        boolean ok = i < s.x.length && Double.isFinite(s.y[i]);
        if (ok) {
          if (pts.length() > 0) pts.append(' ');
          pts.append(c(px.applyAsDouble(s.x[i]))).append(',').append(c(py.applyAsDouble(s.y[i])));
        } else if (pts.length() > 0) {
          b.append("<polyline fill=\"none\" stroke=\"").append(s.color).append("\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"")
              .append(pts).append("\"/>\n");
          pts.setLength(0);
        }
      }
      if (dots && s.x.length == history.size()) {
        for (int i = 0; i < s.x.length; i++) {
          if (!Double.isFinite(s.y[i])) continue;
          b.append("<circle cx=\"").append(c(px.applyAsDouble(s.x[i]))).append("\" cy=\"").append(c(py.applyAsDouble(s.y[i])))
              .append("\" r=\"3\" fill=\"").append(s.color).append("\"><title>").append(esc(s.label)).append(", epoch ")
              .append((long) s.x[i]).append(": ").append(num(s.y[i])).append("</title></circle>\n");
        }
      }
      b.append("</g>\n");
    }

    // Legend, top right, above the plot.
    b.append("<g class=\"legend\">\n");
    double lx = W - MR;
    for (int i = series.size() - 1; i >= 0; i--) {
      Series s = series.get(i);
      double textWidth = 7 * s.label.length();
      lx -= textWidth;
      b.append("<text x=\"").append(c(lx)).append("\" y=\"20\" class=\"label\">").append(esc(s.label)).append("</text>\n");
      lx -= 26;
      b.append("<line x1=\"").append(c(lx)).append("\" x2=\"").append(c(lx + 20)).append("\" y1=\"16\" y2=\"16\" stroke=\"")
          .append(s.color).append("\" stroke-width=\"3\"/>\n");
      lx -= 14;
    }
    if (series.isEmpty()) {
      b.append("<text x=\"").append(c(ML + pw / 2)).append("\" y=\"").append(c(MT + ph / 2))
          .append("\" text-anchor=\"middle\" class=\"label\">no data</text>\n");
    }
    b.append("</g>\n</svg>\n");
    return b.toString();
  }

  private String confusionChart() {
    int k = confusion.length;
    int cell = Math.max(8, Math.min(44, 400 / k));
    int left = 70;
    int top = 56;
    int size = cell * k;
    int w = left + size + 20;
    int h = top + size + 20;
    boolean numbers = cell >= 22;
    int max = 1;
    for (int[] row : confusion) for (int v : row) max = Math.max(max, v);
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart\" id=\"confusion\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(w).append(' ')
        .append(h).append("\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" role=\"img\" aria-label=\"confusion matrix\">\n<title>confusion matrix</title>\n");
    b.append("<text class=\"label\" x=\"").append(left + size / 2).append("\" y=\"16\" text-anchor=\"middle\">predicted class</text>\n");
    b.append("<text class=\"label\" transform=\"translate(16 ").append(top + size / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">true class</text>\n");
    for (int j = 0; j < k; j++) {
      b.append("<text class=\"tick\" x=\"").append(left + j * cell + cell / 2).append("\" y=\"").append(top - 8)
          .append("\" text-anchor=\"middle\">").append(j).append("</text>\n");
      b.append("<text class=\"tick\" x=\"").append(left - 8).append("\" y=\"").append(top + j * cell + cell / 2 + 4)
          .append("\" text-anchor=\"end\">").append(j).append("</text>\n");
    }
    b.append("<g class=\"cells\">\n");
    for (int i = 0; i < k; i++) {
      int rowSum = 0;
      for (int v : confusion[i]) rowSum += v;
      for (int j = 0; j < k; j++) {
        int v = confusion[i][j];
        double share = rowSum == 0 ? 0 : (double) v / rowSum;
        String fill = v == 0 ? "#f7f9fb" : cellColor(i == j, share);
        b.append("<rect class=\"cell\" x=\"").append(left + j * cell).append("\" y=\"").append(top + i * cell)
            .append("\" width=\"").append(cell).append("\" height=\"").append(cell).append("\" fill=\"").append(fill)
            .append("\" stroke=\"#fff\" data-count=\"").append(v).append("\"><title>true ").append(i).append(", predicted ")
            .append(j).append(": ").append(v).append("</title></rect>\n");
        if (numbers && v > 0) {
          boolean dark = share > 0.5;
          b.append("<text x=\"").append(left + j * cell + cell / 2).append("\" y=\"").append(top + i * cell + cell / 2 + 4)
              .append("\" text-anchor=\"middle\" style=\"font-size:").append(cell >= 34 ? 11 : 9).append("px;fill:")
              .append(dark ? "#fff" : "#1f2933").append("\">").append(v).append("</text>\n");
        }
      }
    }
    b.append("</g>\n</svg>\n");
    return b.toString();
  }

  /** Blue for the diagonal, orange for mistakes, darker for a larger share of the row. */
  private static String cellColor(boolean diagonal, double share) {
    double t = Math.sqrt(share);
    int[] light = {0xf7, 0xf9, 0xfb};
    int[] dark = diagonal ? new int[] {0x1d, 0x4e, 0xd8} : new int[] {0xd9, 0x48, 0x0f};
    int r = (int) Math.round(light[0] + (dark[0] - light[0]) * t);
    int g = (int) Math.round(light[1] + (dark[1] - light[1]) * t);
    int bl = (int) Math.round(light[2] + (dark[2] - light[2]) * t);
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
  }

  private String weightsChart() {
    int n = weights.size();
    int scale = Math.max(1, (int) Math.round(56.0 / side)); // about 56 px a unit
    int img = side * scale;
    int gap = 8;
    int cols = Math.max(1, Math.min(n, Math.max(1, 1000 / (img + gap))));
    cols = Math.min(cols, 16);
    int rows = (n + cols - 1) / cols;
    int labelH = 14;
    int w = cols * (img + gap);
    int h = rows * (img + gap + labelH);
    StringBuilder b = new StringBuilder();
    b.append("<svg class=\"chart weights\" id=\"weights\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(w)
        .append(' ').append(h).append("\" width=\"").append(w).append("\" height=\"").append(h)
        .append("\" role=\"img\" aria-label=\"first layer weights\">\n<title>first layer weights</title>\n");
    for (int i = 0; i < n; i++) {
      WeightImage im = weights.get(i);
      int x = (i % cols) * (img + gap);
      int y = (i / cols) * (img + gap + labelH);
      b.append("<g class=\"unit\"><title>").append(esc(weightTensor)).append(" unit ").append(im.unit()).append(", max |w| ")
          .append(num(im.maxAbs())).append("</title>");
      b.append("<image x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(img).append("\" height=\"")
          .append(img).append("\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,")
          .append(Base64.getEncoder().encodeToString(im.png())).append("\"/>");
      b.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(img).append("\" height=\"")
          .append(img).append("\" fill=\"none\" stroke=\"#c5ccd3\"/>");
      b.append("<text class=\"tick\" x=\"").append(x + img / 2).append("\" y=\"").append(y + img + 11)
          .append("\" text-anchor=\"middle\">").append(im.unit()).append("</text></g>\n");
    }
    b.append("</svg>\n");
    return b.toString();
  }

  /** About {@code count} round ticks covering [lo, hi]. */
  static double[] ticks(double lo, double hi, int count) {
    if (!(hi > lo)) {
      double pad = lo == 0 ? 1 : Math.abs(lo) * 0.5;
      lo -= pad;
      hi += pad;
      if (lo < 0 && lo + pad >= 0) lo = 0;
    }
    double raw = (hi - lo) / Math.max(1, count);
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double norm = raw / mag;
    double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    double start = Math.floor(lo / step + 1e-9) * step;
    double end = Math.ceil(hi / step - 1e-9) * step;
    int n = (int) Math.round((end - start) / step) + 1;
    double[] t = new double[n];
    for (int i = 0; i < n; i++) t[i] = start + i * step;
    return t;
  }

  /** Whole epochs, at most about ten of them. */
  private static double[] epochTicks(double lo, double hi) {
    long first = (long) Math.ceil(lo);
    long last = (long) Math.floor(hi);
    long span = Math.max(1, last - first);
    long step = span <= 10 ? 1 : span <= 20 ? 2 : span <= 50 ? 5 : span <= 100 ? 10 : (long) Math.ceil(span / 10.0);
    List<Double> t = new ArrayList<>();
    for (long e = first; e <= last; e += step) t.add((double) e);
    if (t.isEmpty()) t.add((double) first);
    double[] out = new double[t.size()];
    for (int i = 0; i < out.length; i++) out[i] = t.get(i);
    return out;
  }

  private static String tickLabel(double v, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : Math.abs(v);
    if (Math.abs(v) < step * 1e-6) return "0";
    if (step >= 1) return String.format(Locale.ROOT, "%.0f", v);
    int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
    if (decimals > 5) return String.format(Locale.ROOT, "%.1e", v);
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String fmt(double v, int decimals) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String compact(double v) {
    if (v >= 1e6) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    if (v >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String c(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  /** Escapes text for HTML content and attribute values. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
