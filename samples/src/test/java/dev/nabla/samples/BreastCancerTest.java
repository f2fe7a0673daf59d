package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.data.BreastCancerTable;
import dev.nabla.runtime.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Trains {@link BreastCancer}'s logistic regression on the real table (fetched from Debian's
 * python3-sklearn on first use, then cached) and checks that it beats the majority-class baseline
 * clearly. Skipped when the table cannot be fetched and is not cached.
 */
class BreastCancerTest {
  @Test
  void logisticRegressionBeatsTheMajorityBaselineClearly() {
    Dataset table;
    try {
      table = BreastCancerTable.load();
    } catch (UncheckedIOException e) {
      Assumptions.abort("breast-cancer table unavailable: " + e.getMessage());
      return;
    }
    assertEquals(BreastCancerTable.ROWS, table.size());
    assertEquals(BreastCancerTable.FEATURES, table.featureSize());
    double benign = 0;
    for (float t : table.targets()) benign += t;
    assertEquals(357, benign);
    BreastCancer.Result r = BreastCancer.run(table, 42, BreastCancer.EPOCHS);
    System.out.printf(Locale.ROOT, "breast cancer: dev accuracy %.3f (baseline %.3f), test accuracy %.3f (baseline %.3f), test log loss %.3f (baseline %.3f)%n",
        r.dev().accuracy(), r.dev().baselineAccuracy(), r.test().accuracy(), r.test().baselineAccuracy(),
        r.test().logLoss(), r.test().baselineLogLoss());
    assertEquals(398, r.train());
    assertEquals(85, r.devCount());
    assertEquals(86, r.testCount());
    assertTrue(r.dev().accuracy() >= 0.93, "dev accuracy " + r.dev().accuracy());
    assertTrue(r.test().accuracy() >= 0.93, "test accuracy " + r.test().accuracy());
    assertTrue(r.test().accuracy() > r.test().baselineAccuracy() + 0.2, "test accuracy " + r.test().accuracy()
        + " vs baseline " + r.test().baselineAccuracy());
    assertTrue(r.test().logLoss() < r.test().baselineLogLoss() / 3, "test log loss " + r.test().logLoss()
        + " vs baseline " + r.test().baselineLogLoss());
  }

  @Test
  void parsesTheHeaderAndChecksIt() throws Exception {
    StringBuilder row = new StringBuilder();
    for (int j = 0; j < 30; j++) row.append(j + 0.5).append(',');
    String csv = "2,30,malignant,benign\n" + row + "0\n" + row + "1\n";
    Dataset d = BreastCancerTable.parse(csv);
    assertEquals(2, d.size());
    assertEquals(1f, d.targets()[1]);
    assertEquals(29.5f, d.features()[30 + 29]);
    IOException e = assertThrows(IOException.class, () -> BreastCancerTable.parse(csv.replace("2,30", "3,30")));
    assertTrue(e.getMessage().contains("declares 3 rows"), e.getMessage());
    assertThrows(IOException.class, () -> BreastCancerTable.parse(csv.replace("0\n", "2\n")));
  }
}
