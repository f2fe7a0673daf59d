package dev.nabla.runtime.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Wisconsin diagnostic breast-cancer table (Street, Wolberg and Mangasarian, 1993): 569 fine-needle
 * aspirates, 30 real features (mean, standard error and worst value of ten cell-nucleus measurements:
 * radius, texture, perimeter, area, smoothness, compactness, concavity, concave points, symmetry,
 * fractal dimension) and a binary target, 0 = malignant (212) and 1 = benign (357), as scikit-learn's
 * {@code load_breast_cancer}.
 *
 * <p>The table is {@code sklearn/datasets/data/breast_cancer.csv} of Debian's python3-sklearn,
 * fetched on first use by {@link SklearnTables#fetch} and cached as
 * {@code <cacheDir>/sklearn/breast_cancer.csv}. Format: a first line {@code 569,30,malignant,benign}
 * (row count, feature count, the names of classes 0 and 1), then one line of 30 numbers and the
 * class (0 or 1) per sample.
 */
public final class BreastCancerTable {
  /** The table's file name in the package and in the cache. */
  public static final String FILE = "breast_cancer.csv";
  public static final int ROWS = 569;
  public static final int FEATURES = 30;
  /** Class 0 and class 1. */
  public static final List<String> CLASS_NAMES = List.of("malignant", "benign");

  private BreastCancerTable() {}

  /** The cached table as a dataset of 30 features and one float target (1 = benign), fetched on first use. */
  public static Dataset load() {
    Path csv = cacheDir().resolve(FILE);
    try {
      SklearnTables.fetch(FILE, csv, data -> parse(new String(data, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("could not fetch the breast-cancer table from Debian's "
          + SklearnTables.DEBIAN_PACKAGE + " (" + e.getMessage() + "). Provide it by hand: copy " + FILE
          + " (from /" + SklearnTables.DATA_DIR + FILE + " of any python3-sklearn install) to " + csv
          + ", or pass its path (BreastCancer --csv FILE)", e);
    }
    return load(csv);
  }

  /** The table in {@code csv} (the format above). */
  public static Dataset load(Path csv) {
    try {
      return parse(SklearnTables.read(csv));
    } catch (IOException e) {
      throw new UncheckedIOException(csv + ": " + e.getMessage(), e);
    }
  }

  /** {@code <cacheDir>/sklearn}. */
  public static Path cacheDir() {
    return Mnist.cacheDir().resolve("sklearn");
  }

  /** Parses the CSV: the header line (whose counts are checked), then rows of 30 numbers and a 0/1 class. */
  public static Dataset parse(String text) throws IOException {
    String[] lines = text.split("\r?\n");
    int first = 0;
    while (first < lines.length && lines[first].isBlank()) first++;
    if (first == lines.length) throw new IOException("empty table");
    String[] header = lines[first].split(",", -1);
    if (header.length < 2 || !header[0].strip().matches("\\d+") || !header[1].strip().matches("\\d+")) {
      throw new IOException("line " + (first + 1) + ": expected a header 'rows,features,...', found '" + lines[first] + "'");
    }
    int declared = Integer.parseInt(header[0].strip());
    int features = Integer.parseInt(header[1].strip());
    if (features != FEATURES) throw new IOException("header declares " + features + " features, expected " + FEATURES);
    List<float[]> rows = new ArrayList<>();
    List<Float> targets = new ArrayList<>();
    for (int n = first + 1; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty()) continue;
      String[] cells = line.split(",", -1);
      if (cells.length != FEATURES + 1) {
        throw new IOException("line " + (n + 1) + ": expected " + (FEATURES + 1) + " values, found " + cells.length);
      }
      float[] row = new float[FEATURES];
      for (int j = 0; j <= FEATURES; j++) {
        double v;
        try {
          v = Double.parseDouble(cells[j].strip());
        } catch (NumberFormatException e) {
          throw new IOException("line " + (n + 1) + ", column " + (j + 1) + ": not a number: '" + cells[j] + "'");
        }
        if (j < FEATURES) {
          row[j] = (float) v;
        } else {
          if (v != 0 && v != 1) throw new IOException("line " + (n + 1) + ": class must be 0 or 1, was " + cells[j]);
          targets.add((float) v);
        }
      }
      rows.add(row);
    }
    if (rows.size() != declared) throw new IOException("header declares " + declared + " rows, found " + rows.size());
    float[] x = new float[rows.size() * FEATURES];
    float[] y = new float[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, x, i * FEATURES, FEATURES);
      y[i] = targets.get(i);
    }
    return Dataset.ofTargets(x, FEATURES, y, 1);
  }
}
