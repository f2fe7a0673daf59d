package dev.nabla.runtime.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Boston house-price table (Harrison and Rubinfeld, 1978): 506 census tracts, 13 features
 * (CRIM, ZN, INDUS, CHAS, NOX, RM, AGE, DIS, RAD, TAX, PTRATIO, B, LSTAT) and the target MEDV, the
 * median value of owner-occupied homes in $1000s.
 *
 * <p>The table is {@code sklearn/datasets/data/boston_house_prices.csv} of Debian's
 * {@value #DEBIAN_PACKAGE} package. On first use it is fetched without installing anything
 * ({@link SklearnTables#fetch}: {@code apt-get download python3-sklearn}, then
 * {@code dpkg-deb --fsys-tarfile}), and the CSV is cached as
 * {@code <cacheDir>/boston/boston_house_prices.csv} ({@link Mnist#cacheDir()}). Without apt the
 * fetch fails with a message saying how to pass the CSV by hand ({@link #load(Path)}).
 *
 * <p>The CSV format: a first line {@code 506,13,,...} (row and feature counts), a second line of
 * quoted column names, then one row of 14 numbers per tract.
 */
public final class BostonHousing {
  /** The Debian package that ships the table. */
  public static final String DEBIAN_PACKAGE = SklearnTables.DEBIAN_PACKAGE;
  /** The table's path inside the package. */
  public static final String PATH_IN_PACKAGE = SklearnTables.DATA_DIR + "boston_house_prices.csv";
  /** The cached file's name under {@code <cacheDir>/boston}. */
  public static final String FILE = "boston_house_prices.csv";
  public static final int ROWS = 506;
  public static final int FEATURES = 13;
  /** The column names, the 13 features then the target. */
  public static final List<String> COLUMNS = List.of("CRIM", "ZN", "INDUS", "CHAS", "NOX", "RM",
      "AGE", "DIS", "RAD", "TAX", "PTRATIO", "B", "LSTAT", "MEDV");

  /** The table: {@code x} row-major ({@code rows × 13}), {@code y} the target MEDV. */
  public record Table(double[] x, double[] y, int rows) {
    public int features() {
      return FEATURES;
    }
  }

  private BostonHousing() {}

  /** The cached table, fetched on first use; {@link UncheckedIOException} if that fails. */
  public static Table load() {
    Path csv = cacheDir().resolve(FILE);
    if (!Files.isRegularFile(csv)) {
      try {
        fetch(csv);
      } catch (IOException e) {
        throw new UncheckedIOException("could not fetch the Boston house-price table from Debian's "
            + DEBIAN_PACKAGE + " (" + e.getMessage() + "). Provide it by hand: copy " + FILE
            + " (from /" + PATH_IN_PACKAGE + " of any python3-sklearn install, or from scikit-learn's"
            + " sources) to " + csv + ", or pass its path (HousePrices --csv FILE)", e);
      }
    }
    return load(csv);
  }

  /** The table in {@code csv} (the format above). */
  public static Table load(Path csv) {
    try {
      return parse(Files.readString(csv, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
    }
  }

  /** {@code <cacheDir>/boston}: where the CSV is cached. */
  public static Path cacheDir() {
    return Mnist.cacheDir().resolve("boston");
  }

  /**
   * Parses the CSV. Lines that are not 14 numbers are header lines: the optional count line
   * ({@code 506,13,...}, whose row count is then checked) and the column names.
   */
  public static Table parse(String text) throws IOException {
    List<double[]> rows = new ArrayList<>();
    int declared = -1;
    String[] lines = text.split("\r?\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty()) continue;
      String[] cells = line.split(",", -1);
      if (rows.isEmpty() && declared < 0 && cells.length >= 2 && isInt(cells[0]) && isInt(cells[1])
          && (cells.length < 3 || cells[2].isBlank())) {
        declared = Integer.parseInt(cells[0].strip());
        int features = Integer.parseInt(cells[1].strip());
        if (features != FEATURES) throw new IOException("line " + (n + 1) + " declares " + features + " features, expected 13");
        continue;
      }
      if (rows.isEmpty() && cells.length > 0 && cells[0].strip().replace("\"", "").equalsIgnoreCase("CRIM")) continue;
      if (cells.length != FEATURES + 1) {
        throw new IOException("line " + (n + 1) + ": expected 14 values, found " + cells.length);
      }
      double[] row = new double[FEATURES + 1];
      for (int j = 0; j < row.length; j++) {
        try {
          row[j] = Double.parseDouble(cells[j].strip());
        } catch (NumberFormatException e) {
          throw new IOException("line " + (n + 1) + ", column " + COLUMNS.get(j) + ": not a number: '" + cells[j] + "'");
        }
      }
      rows.add(row);
    }
    if (rows.isEmpty()) throw new IOException("no data rows");
    if (declared >= 0 && declared != rows.size()) {
      throw new IOException("header declares " + declared + " rows, found " + rows.size());
    }
    double[] x = new double[rows.size() * FEATURES];
    double[] y = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, x, i * FEATURES, FEATURES);
      y[i] = rows.get(i)[FEATURES];
    }
    return new Table(x, y, rows.size());
  }

  private static boolean isInt(String s) {
    return s.strip().matches("\\d+");
  }

  private static void fetch(Path csv) throws IOException {
    SklearnTables.fetch(FILE, csv, data -> parse(new String(data, StandardCharsets.UTF_8)));
  }
}
