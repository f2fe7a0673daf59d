package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.data.Dataset;
import dev.nabla.runtime.data.Mnist;
import dev.nabla.runtime.report.TrainingReport;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A light run of {@link OptimizerComparison}: four epochs of every optimiser on 2,000 real digits (tested on 500).
 * Each must learn (test accuracy well above the 10% of chance), write its report, and the combined
 * page must hold one training-loss and one test-loss curve per optimiser.
 */
class OptimizerComparisonTest {
  @Test
  void everyOptimiserLearnsAndThePageHasOneCurveEach(@TempDir Path dir) throws Exception {
    Mnist.Split data;
    try {
      data = Mnist.npmSplit();
    } catch (UncheckedIOException e) {
      Assumptions.abort("MNIST digits unavailable: " + e.getMessage());
      return;
    }
    Dataset train = data.train().subset(0, 2000);
    Dataset test = data.test().subset(0, 500);
    List<OptimizerComparison.Row> rows = OptimizerComparison.run(train, test, 4, 42, dir, false);
    System.out.println(OptimizerComparison.table(rows));
    assertEquals(10, rows.size());
    for (OptimizerComparison.Row r : rows) {
      assertTrue(r.testAccuracy() > 0.5, r.entry().label() + " test accuracy " + r.testAccuracy());
      assertTrue(r.history().last().loss() < r.history().epoch(1).loss() || r.history().last().loss() < 1.5,
          r.entry().label() + " training loss did not fall: " + r.history().epochs());
      assertTrue(Files.isRegularFile(dir.resolve(r.entry().name()).resolve(TrainingReport.HTML_FILE)), r.entry().name());
      assertTrue(Files.isRegularFile(dir.resolve(r.entry().name()).resolve(TrainingReport.CSV_FILE)), r.entry().name());
    }
    String html = Files.readString(dir.resolve(OptimizerComparison.HTML_FILE));
    for (OptimizerComparison.Entry e : OptimizerComparison.ENTRIES) {
      Matcher m = Pattern.compile("<polyline class=\"curve\" data-optimizer=\"" + e.name() + "\"[^>]*points=\"([^\"]+)\"").matcher(html);
      int curves = 0;
      while (m.find()) {
        curves++;
        assertEquals(4, m.group(1).trim().split("\\s+").length, e.name() + ": one point per epoch");
      }
      assertEquals(2, curves, e.name() + ": a training and a test loss curve");
    }
    assertEquals(20, html.split("<polyline class=\"curve\"", -1).length - 1);
  }
}
