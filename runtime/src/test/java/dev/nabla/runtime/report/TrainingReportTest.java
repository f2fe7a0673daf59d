package dev.nabla.runtime.report;

import static org.junit.jupiter.api.Assertions.*;

import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.train.EpochMetrics;
import dev.nabla.runtime.train.Fit;
import dev.nabla.runtime.train.History;
import dev.nabla.runtime.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingReportTest {
  static final int SIDE = 8;

  /** 8×8 images of three classes: a horizontal bar, a vertical bar, a diagonal; with noise. */
  static Dataset bars(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * SIDE * SIDE];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      y[i] = c;
      int at = 1 + r.nextInt(SIDE - 2);
      for (int row = 0; row < SIDE; row++) {
        for (int col = 0; col < SIDE; col++) {
          boolean on = c == 0 ? row == at : c == 1 ? col == at : row == col;
          x[i * SIDE * SIDE + row * SIDE + col] = (on ? 1f : 0f) + (float) r.nextGaussian() * 0.15f;
        }
      }
    }
    return Dataset.ofLabels(x, SIDE * SIDE, y, 3);
  }

  /** A trained image classifier and its report. */
  record Run(TinyNet net, History history, Dataset val, TrainingReport report) {}

  static Run imageRun(String name, int epochs) {
    Dataset train = bars(300, 1);
    Dataset val = bars(150, 2);
    TinyNet net = new TinyNet(name, SIDE * SIDE, 3, true, "dense.weight");
    History h = Trainer.fit(net, train, Fit.epochs(epochs).batch(16).validation(val).quiet());
    double[] lr = new double[epochs];
    for (int e = 0; e < epochs; e++) lr[e] = 0.1 * Math.pow(0.5, e);
    return new Run(net, h, val, new TrainingReport(net, h, val, lr, train.size()));
  }

  static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) n++;
    return n;
  }

  @Test
  void csvHasOneLinePerEpochWithTheHistorysNumbers() {
    Run run = imageRun("Bars", 4);
    String[] lines = run.report().csv().split("\n");
    assertEquals("epoch,loss,accuracy,val_loss,val_accuracy,seconds,examples_per_second,learning_rate", lines[0]);
    assertEquals(5, lines.length);
    for (int e = 1; e <= 4; e++) {
      String[] f = lines[e].split(",", -1);
      assertEquals(8, f.length, lines[e]);
      EpochMetrics m = run.history().epoch(e);
      assertEquals(e, Integer.parseInt(f[0]));
      assertEquals(m.loss(), Double.parseDouble(f[1]), 1e-5 * Math.max(1, m.loss()));
      assertEquals(m.accuracy(), Double.parseDouble(f[2]), 1e-5);
      assertEquals(m.valLoss(), Double.parseDouble(f[3]), 1e-5 * Math.max(1, m.valLoss()));
      assertEquals(m.valAccuracy(), Double.parseDouble(f[4]), 1e-5);
      assertTrue(Double.parseDouble(f[6]) > 0, lines[e]);
      assertEquals(0.1 * Math.pow(0.5, e - 1), Double.parseDouble(f[7]), 1e-9);
    }
  }

  @Test
  void csvLeavesValuesThatDoNotApplyEmpty() {
    Dataset train = Dataset.ofTargets(new float[] {0, 1, 2, 3}, 1, new float[] {0, 2, 4, 6}, 1);
    TinyNet net = new TinyNet("Line", 1, 1, false, "dense.weight");
    History h = Trainer.fit(net, train, Fit.epochs(2).batch(2).quiet());
    TrainingReport r = new TrainingReport(net, h, null, null, 0);
    String[] lines = r.csv().split("\n");
    assertEquals(3, lines.length);
    assertTrue(lines[1].matches("1,[-0-9.e]+,,,,[0-9.e-]+,,"), lines[1]);
    String html = r.html();
    assertFalse(html.contains("id=\"chart-accuracy\""), "a regression has no accuracy chart");
    assertFalse(html.contains("id=\"confusion\""));
    assertTrue(html.contains("No learning rate was recorded"));
    assertEquals(1, count(html, "<svg"), "loss chart only");
    assertEquals(0, r.weightImageCount());
  }

  @Test
  void htmlHasTheChartsAndTheNumbers() {
    Run run = imageRun("Bars", 4);
    String html = run.report().html();
    assertTrue(html.startsWith("<!DOCTYPE html>"));
    assertEquals(5, count(html, "<svg"), "loss, accuracy, learning rate, confusion, weights");
    assertEquals(5, count(html, "class=\"chart"));
    for (String id : List.of("chart-loss", "chart-accuracy", "chart-lr", "confusion", "weights")) {
      assertEquals(1, count(html, "id=\"" + id + "\""), id);
    }
    // Loss and accuracy: train and validation lines of 4 points each; the lr curve has 4 more.
    assertEquals(5, count(html, "<polyline"));
    assertEquals(4 * 4 + 4, count(html, "<circle"));
    // Axes and legends.
    assertEquals(3, count(html, ">epoch</text>"));
    assertEquals(2, count(html, ">validation</text>"));
    assertEquals(3, count(html, "<g class=\"legend\">"));
    // The numbers themselves.
    EpochMetrics last = run.history().last();
    assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.4f", last.valLoss())), "final val loss");
    assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.3f", last.valAccuracy())), "final val accuracy");
    assertEquals(4, count(html, "<tr><td>"), "one table row per epoch");
    // Self-contained: nothing is loaded from elsewhere.
    assertFalse(html.matches("(?s).*(src=|<link|@import|url\\(|https?://(?!www\\.w3\\.org/2000/svg)).*"), "no external resources");
    assertTrue(html.contains("data-ok"));
  }

  @Test
  void confusionMatrixSumsToTheValidationSizeAndMatchesTheAccuracy() {
    Run run = imageRun("Bars", 3);
    int[][] m = run.report().confusion();
    assertEquals(3, m.length);
    int total = 0;
    int diagonal = 0;
    for (int i = 0; i < 3; i++) {
      assertEquals(3, m[i].length);
      for (int j = 0; j < 3; j++) total += m[i][j];
      diagonal += m[i][i];
    }
    assertEquals(run.val().size(), total);
    assertEquals(run.history().last().valAccuracy(), (double) diagonal / total, 1e-12);
    for (int i = 0; i < 3; i++) {
      int row = 0;
      for (int j = 0; j < 3; j++) row += m[i][j];
      assertEquals(50, row, "150 validation rows, classes in turn");
    }
    // The cells carry the same counts.
    String html = run.report().html();
    Matcher c = Pattern.compile("class=\"cell\"[^>]*data-count=\"(\\d+)\"").matcher(html);
    int cells = 0;
    int sum = 0;
    while (c.find()) {
      cells++;
      sum += Integer.parseInt(c.group(1));
    }
    assertEquals(9, cells);
    assertEquals(150, sum);
    // Batches of 256 or not: same counts.
    assertArrayEquals(m, TrainingReport.confusion(run.net(), run.val()));
  }

  @Test
  void weightImagesForAnImageModel() throws Exception {
    Run run = imageRun("Bars", 2);
    assertEquals(3, run.report().weightImageCount());
    String html = run.report().html();
    assertEquals(3, count(html, "<image "));
    Matcher m = Pattern.compile("href=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    int images = 0;
    while (m.find()) {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
      assertNotNull(img, "a valid PNG");
      assertEquals(SIDE, img.getWidth());
      assertEquals(SIDE, img.getHeight());
      images++;
    }
    assertEquals(3, images);
    assertTrue(html.contains("First layer weights: dense.weight"));
  }

  @Test
  void weightPixelsFollowTheWeights() throws Exception {
    TinyNet net = new TinyNet("Px", 4, 2, true, "dense.weight");
    float[] p = net.parameters();
    float[] row0 = {-2, -1, 0, 2};
    System.arraycopy(row0, 0, p, 0, 4);
    History h = new History(List.of(new EpochMetrics(1, 1, 0.5, Double.NaN, Double.NaN, 0.1)));
    String html = new TrainingReport(net, h, null, new double[] {0.1}, 0).html();
    Matcher m = Pattern.compile("base64,([A-Za-z0-9+/=]+)\"").matcher(html);
    assertTrue(m.find());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(m.group(1))));
    int[] expected = {0, 64, 128, 255}; // -max black, 0 mid-gray, +max white
    for (int i = 0; i < 4; i++) {
      int gray = img.getRaster().getSample(i % 2, i / 2, 0);
      assertEquals(expected[i], gray, 1, "pixel " + i);
    }
  }

  @Test
  void noWeightImagesWithoutASquareInputOrWeightTensor() {
    Dataset train = TrainerTestData.blobs(60, 1);
    TinyNet flat = new TinyNet("Flat", 2, 3, true, "dense.weight");
    History h = Trainer.fit(flat, train, Fit.epochs(1).quiet());
    TrainingReport r = new TrainingReport(flat, h, train, new double[] {0.1}, train.size());
    assertEquals(0, r.weightImageCount());
    assertFalse(r.html().contains("<image"));
    assertFalse(r.html().contains("id=\"weights\""));
    assertEquals(4, count(r.html(), "<svg"), "loss, accuracy, lr, confusion");

    Dataset images = bars(30, 3);
    TinyNet noWeight = new TinyNet("Kernel", SIDE * SIDE, 3, true, "dense.kernel");
    History h2 = Trainer.fit(noWeight, images, Fit.epochs(1).quiet());
    assertEquals(0, new TrainingReport(noWeight, h2, images, null, 0).weightImageCount(), "no *.weight tensor");
  }

  @Test
  void namesAreEscaped() {
    String evil = "<script>alert(\"x\")</script>&'";
    Run run = imageRun(evil, 1);
    String html = run.report().html();
    assertFalse(html.contains(evil));
    assertFalse(html.contains("<script>alert"));
    assertTrue(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"));
    assertEquals(2, count(html, "<script>"), "only the report's own two scripts");
  }

  @Test
  void learningRatesConstantPerEpochOrPerStep() {
    History h = new History(List.of(new EpochMetrics(1, 1, 0.5, 1, 0.5, 1), new EpochMetrics(2, 0.5, 0.7, 0.6, 0.7, 1),
        new EpochMetrics(3, 0.4, 0.8, 0.5, 0.8, 1)));
    TinyNet net = new TinyNet("N", 2, 3, true, "dense.weight");
    TrainingReport constant = new TrainingReport(net, h, null, new double[] {0.05}, 0);
    assertEquals(0.05, constant.learningRate(3));
    assertTrue(constant.html().contains("Constant over the run."));
    TrainingReport perStep = new TrainingReport(net, h, null, new double[] {1, 0.9, 0.8, 0.7, 0.6, 0.5}, 0);
    assertEquals(1, perStep.learningRate(1));
    assertEquals(0.8, perStep.learningRate(2));
    assertEquals(0.6, perStep.learningRate(3));
    String lr = perStep.html().replaceAll("(?s).*(<svg[^>]*id=\"chart-lr\".*?</svg>).*", "$1");
    Matcher pts = Pattern.compile("points=\"([^\"]+)\"").matcher(lr);
    assertTrue(pts.find());
    assertEquals(6, pts.group(1).split(" ").length, "one point per step");
    assertThrows(IllegalArgumentException.class, () -> new TrainingReport(net, h, null, new double[] {1, 2}, 0));
  }

  @Test
  void fitWritesTheReportAtomically(@TempDir Path dir) throws Exception {
    Dataset train = bars(120, 4);
    Dataset val = bars(60, 5);
    Path out = dir.resolve("nested/report");
    TinyNet net = new TinyNet("Bars", SIDE * SIDE, 3, true, "dense.weight");
    History h = Trainer.fit(net, train, Fit.epochs(2).validation(val).quiet().report(out).reportLearningRates(0.1));
    assertTrue(Files.isRegularFile(out.resolve(TrainingReport.HTML_FILE)));
    assertTrue(Files.isRegularFile(out.resolve(TrainingReport.CSV_FILE)));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("metrics.csv", "report.html"),
          files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary files left");
    }
    String csv = Files.readString(out.resolve(TrainingReport.CSV_FILE));
    assertEquals(3, csv.split("\n").length);
    assertTrue(csv.split("\n")[2].endsWith(",0.1"), csv);
    String html = Files.readString(out.resolve(TrainingReport.HTML_FILE));
    assertEquals(5, count(html, "<svg"));
    assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%.4f", h.last().valLoss())));
    // Rewriting replaces the files.
    TrainingReport.write(net, h, null, null, 0, out);
    assertFalse(Files.readString(out.resolve(TrainingReport.HTML_FILE)).contains("id=\"confusion\""));
  }
}
