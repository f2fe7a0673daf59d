package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.*;

import dev.nabla.runtime.data.Mnist;
import dev.nabla.runtime.report.TrainingReport;
import dev.nabla.runtime.train.Fit;
import dev.nabla.runtime.train.History;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training report of a real image model: the digit recogniser on MNIST. */
class DigitsReportTest {

  static int count(String s, String needle) {
    int n = 0;
    for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) n++;
    return n;
  }

  @Test
  void digitNetReportHasSixteenWeightImagesAndATenClassConfusionMatrix(@TempDir Path dir) throws Exception {
    Mnist.Split data = Mnist.npmSplit();
    var net = DigitNetModel.create(42);
    History h = net.fit(data.train().subset(0, 2000),
        Fit.epochs(2).batch(32).validation(data.test()).quiet().report(dir).reportLearningRates(0.1));
    TrainingReport report = new TrainingReport(net, h, data.test(), new double[] {0.1}, 2000);
    assertEquals(16, report.weightImageCount(), "hidden1.weight is (16, 784): 16 images of 28×28");
    int[][] m = report.confusion();
    assertEquals(10, m.length);
    int total = 0;
    for (int[] row : m) for (int v : row) total += v;
    assertEquals(data.test().size(), total);

    String html = Files.readString(dir.resolve(TrainingReport.HTML_FILE));
    assertEquals(5, count(html, "<svg"));
    assertEquals(16, count(html, "<image "));
    assertEquals(100, count(html, "class=\"cell\""));
    assertTrue(html.contains("First layer weights: hidden1.weight"));
    assertEquals(3, Files.readString(dir.resolve(TrainingReport.CSV_FILE)).split("\n").length);
  }

  @Test
  void digitsMainWritesTheReportAndEndsWithTheAccuracy(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      DigitsMain.main(new String[] {"--epochs 1 --report " + dir});
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String[] lines = buf.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertTrue(lines[lines.length - 1].matches("test accuracy: 0\\.\\d{3}"), lines[lines.length - 1]);
    assertTrue(lines[lines.length - 2].startsWith("report: ") && lines[lines.length - 2].endsWith("report.html"),
        lines[lines.length - 2]);
    assertTrue(Files.isRegularFile(dir.resolve("report.html")));
    assertTrue(Files.isRegularFile(dir.resolve("metrics.csv")));
  }

  @Test
  void digitsMainAugmentUsesADevSplitAndStillEndsWithTheTestAccuracy(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      DigitsMain.main(new String[] {"--epochs 2 --augment --report " + dir});
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = buf.toString(StandardCharsets.UTF_8).strip();
    String[] lines = text.split("\n");
    assertTrue(lines[0].contains("7,000 training, 1,000 dev and 2,000 test digits"), lines[0]);
    assertTrue(text.contains("best dev epoch "), text);
    assertTrue(lines[lines.length - 1].matches("test accuracy: 0\\.\\d{3}"), lines[lines.length - 1]);
  }
}
