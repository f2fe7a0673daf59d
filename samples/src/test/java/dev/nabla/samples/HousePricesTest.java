package dev.nabla.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.runtime.data.BostonHousing;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Trains {@link HousePrices} on the real Boston table (fetched from Debian's python3-sklearn on
 * first use, then cached) and checks that the net beats both baselines on the test split. Skipped
 * when the table cannot be fetched (no apt-get / dpkg-deb, no network) and is not cached.
 */
class HousePricesTest {
  @Test
  void netBeatsMeanAndLinearBaselinesOnTheTestSplit() {
    BostonHousing.Table table;
    try {
      table = BostonHousing.load();
    } catch (UncheckedIOException e) {
      Assumptions.abort("Boston table unavailable: " + e.getMessage());
      return;
    }
    assertEquals(BostonHousing.ROWS, table.rows());
    HousePrices.Result r = HousePrices.run(table, 42, HousePrices.EPOCHS);
    System.out.printf(Locale.ROOT, "house prices: dev RMSE %.2f (mean %.2f, linear %.2f); test RMSE %.2f (mean %.2f, linear %.2f)%n",
        r.dev().net(), r.dev().mean(), r.dev().linear(), r.test().net(), r.test().mean(), r.test().linear());
    assertTrue(r.test().net() < r.test().mean(), "test RMSE " + r.test().net() + " vs mean baseline " + r.test().mean());
    assertTrue(r.test().net() < r.test().linear(), "test RMSE " + r.test().net() + " vs linear baseline " + r.test().linear());
    assertTrue(r.dev().net() < r.dev().linear(), "dev RMSE " + r.dev().net() + " vs linear baseline " + r.dev().linear());
  }

  @Test
  void parsesTheHeaderLines() throws Exception {
    String csv = "3,13,,,,,,,,,,,,\n"
        + "\"CRIM\",\"ZN\",\"INDUS\",\"CHAS\",\"NOX\",\"RM\",\"AGE\",\"DIS\",\"RAD\",\"TAX\",\"PTRATIO\",\"B\",\"LSTAT\",\"MEDV\"\n"
        + "0.00632,18,2.31,0,0.538,6.575,65.2,4.09,1,296,15.3,396.9,4.98,24\n"
        + "0.02731,0,7.07,0,0.469,6.421,78.9,4.9671,2,242,17.8,396.9,9.14,21.6\n"
        + "0.02729,0,7.07,0,0.469,7.185,61.1,4.9671,2,242,17.8,392.83,4.03,34.7\n";
    BostonHousing.Table t = BostonHousing.parse(csv);
    assertEquals(3, t.rows());
    assertEquals(34.7, t.y()[2]);
    assertEquals(6.421, t.x()[13 + 5]);
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> BostonHousing.parse(csv.replace("3,13", "4,13")));
    assertTrue(e.getMessage().contains("declares 4 rows"), e.getMessage());
  }
}
