package dev.nabla.runtime.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.nabla.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RegularisationTest {

  @Test
  void shiftOnATinyImage() {
    float[] img = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    float[] s = new float[9];
    float[] a = img.clone();
    BatchAugmenter.shift(a, 0, 3, 1, 0, s);
    assertArrayEquals(new float[] {0, 1, 2, 0, 4, 5, 0, 7, 8}, a);
    a = img.clone();
    BatchAugmenter.shift(a, 0, 3, 0, -1, s);
    assertArrayEquals(new float[] {4, 5, 6, 7, 8, 9, 0, 0, 0}, a);
    a = img.clone();
    BatchAugmenter.shift(a, 0, 3, -1, 1, s);
    assertArrayEquals(new float[] {0, 0, 0, 2, 3, 0, 5, 6, 0}, a);
    float[] two = new float[18];
    System.arraycopy(img, 0, two, 9, 9);
    BatchAugmenter.shift(two, 9, 3, 2, 2, s);
    assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 1}, Arrays.copyOfRange(two, 9, 18));
  }

  @Test
  void randomShiftsStayWithinRangeAndAreSeeded() {
    int side = 5;
    float[] img = new float[side * side];
    img[12] = 1; // the centre pixel
    float[] batch = new float[200 * 25];
    for (int i = 0; i < 200; i++) System.arraycopy(img, 0, batch, i * 25, 25);
    float[] other = batch.clone();
    new BatchAugmenter(7, side, 1, 0).apply(batch, 200, 25);
    new BatchAugmenter(7, side, 1, 0).apply(other, 200, 25);
    assertArrayEquals(batch, other, "same seed, same shifts");
    int[] hits = new int[25];
    for (int i = 0; i < 200; i++) {
      int ones = 0;
      for (int p = 0; p < 25; p++) {
        if (batch[i * 25 + p] == 1) {
          ones++;
          hits[p]++;
          int r = p / 5, c = p % 5;
          assertTrue(Math.abs(r - 2) <= 1 && Math.abs(c - 2) <= 1, "moved at most one pixel");
        }
      }
      assertEquals(1, ones);
    }
    for (int r = 1; r <= 3; r++) for (int c = 1; c <= 3; c++) assertTrue(hits[r * 5 + c] > 5, "all 9 shifts occur");
  }

  @Test
  void noiseStatistics() {
    int n = 200_000;
    float[] x = new float[n];
    new BatchAugmenter(1, 0, 0, 0.5).apply(x, n / 4, 4);
    double sum = 0, sq = 0;
    for (float v : x) {
      sum += v;
      sq += v * v;
    }
    double mean = sum / n;
    assertEquals(0, mean, 0.01);
    assertEquals(0.5, Math.sqrt(sq / n - mean * mean), 0.01);
    float[] y = new float[n];
    new BatchAugmenter(1, 0, 0, 0.5).apply(y, n / 4, 4);
    assertArrayEquals(x, y);
  }

  @Test
  void augmentationIsReproducibleAndLeavesTheDatasetAlone() {
    Dataset train = TrainerTest.blobs(300, 1);
    // blobs have 2 features; treat as noise only. Shifts need square images: use a 2×2 version.
    float[] four = new float[300 * 4];
    float[] f2 = train.features();
    for (int i = 0; i < 300; i++) {
      four[4 * i] = f2[2 * i];
      four[4 * i + 3] = f2[2 * i + 1];
    }
    Dataset img = Dataset.ofLabels(four, 4, train.labels(), 3);
    float[] before = img.features();
    Fit fit = Fit.epochs(3).batch(16).quiet().shuffleSeed(5).inputNoise(0.3).shiftImages(2, 1);
    SoftmaxRegression a = new SoftmaxRegression(4, 3, true, 0.1f);
    SoftmaxRegression b = new SoftmaxRegression(4, 3, true, 0.1f);
    SoftmaxRegression plain = new SoftmaxRegression(4, 3, true, 0.1f);
    a.fit(img, fit);
    b.fit(img, fit);
    plain.fit(img, Fit.epochs(3).batch(16).quiet().shuffleSeed(5));
    assertArrayEquals(a.parameters(), b.parameters(), "same seed, same run");
    assertFalse(Arrays.equals(a.parameters(), plain.parameters()), "augmentation changes the batches");
    assertArrayEquals(before, img.features(), "the dataset is never changed");
    SoftmaxRegression c = new SoftmaxRegression(4, 3, true, 0.1f);
    c.fit(img, fit.shuffleSeed(6));
    assertFalse(Arrays.equals(a.parameters(), c.parameters()));
    assertThrows(IllegalArgumentException.class,
        () -> new SoftmaxRegression(2, 3, true, 0.1f).fit(train, Fit.epochs(1).quiet().shiftImages(2, 1)));
  }

  /** y = x on the training set, y = x / 2 on the dev set: from w = 0, the dev loss falls, then rises. */
  static Dataset line(int n, float slope, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextDouble() * 2 - 1);
      y[i] = slope * x[i];
    }
    return Dataset.ofTargets(x, 1, y, 1);
  }

  @Test
  void earlyStoppingRestoresTheBestWeights() {
    Dataset train = line(100, 1, 1);
    Dataset dev = line(50, 0.5f, 2);
    SoftmaxRegression net = new SoftmaxRegression(1, 1, false, 0.02f);
    List<float[]> paramsAfter = new ArrayList<>();
    History h = net.fit(train, Fit.epochs(50).batch(10).noShuffle().quiet().validation(dev).earlyStopping(3)
        .onEpoch(m -> paramsAfter.add(net.parameters().clone())));

    assertTrue(h.stoppedEarly());
    int best = 1;
    for (int e = 2; e <= h.size(); e++) if (h.epoch(e).valLoss() < h.epoch(best).valLoss()) best = e;
    assertTrue(best > 1, "the dev loss first falls");
    assertEquals(best, h.bestEpoch());
    assertEquals(best + 3, h.size(), "stops after patience epochs without improvement");
    assertTrue(h.last().valLoss() > h.best().valLoss(), "the dev loss rose");
    assertArrayEquals(paramsAfter.get(best - 1), net.parameters(), "the best weights are back");
    assertEquals(h.best().valLoss(), Trainer.evaluate(net, dev).loss(), 1e-9);
  }

  @Test
  void earlyStoppingWithoutStopAndByAccuracy() {
    Dataset train = TrainerTest.blobs(300, 1);
    Dataset dev = TrainerTest.blobs(150, 2);
    SoftmaxRegression net = new SoftmaxRegression(2, 3, true, 0.1f);
    History h = net.fit(train, Fit.epochs(3).quiet().validation(dev).earlyStopping(5).monitor(Fit.Monitor.ACCURACY));
    assertFalse(h.stoppedEarly());
    assertEquals(3, h.size());
    assertTrue(h.bestEpoch() >= 1 && h.bestEpoch() <= 3);
    assertEquals(h.best().valAccuracy(), Trainer.evaluate(net, dev).accuracy(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> net.fit(train, Fit.epochs(2).quiet().earlyStopping(1)));
    assertThrows(IllegalArgumentException.class,
        () -> new SoftmaxRegression(1, 1, false, 0.1f).fit(line(10, 1, 1),
            Fit.epochs(2).quiet().validation(line(10, 1, 2)).earlyStopping(1).monitor(Fit.Monitor.ACCURACY)));
    assertEquals(3, new History(h.epochs()).bestEpoch());
  }

  @Test
  void ensembleAveragesPredictions() {
    Dataset train = TrainerTest.blobs(300, 1);
    Dataset test = TrainerTest.blobs(150, 2);
    SoftmaxRegression a = new SoftmaxRegression(2, 3, true, 0.1f);
    SoftmaxRegression b = new SoftmaxRegression(2, 3, true, 0.05f);
    a.fit(train, Fit.epochs(2).quiet().shuffleSeed(1));
    b.fit(train, Fit.epochs(1).quiet().shuffleSeed(2));
    Ensemble e = Ensemble.of(a, b);
    float[] x = test.features();
    int n = test.size();
    float[] pa = new float[n * 3], pb = new float[n * 3], pe = new float[n * 3];
    a.predict(x, n, pa);
    b.predict(x, n, pb);
    e.predict(x, n, pe);
    for (int i = 0; i < pe.length; i++) assertEquals((pa[i] + pb[i]) / 2, pe[i], 1e-6f);
    int correct = 0;
    int[] labels = test.labels();
    for (int i = 0; i < n; i++) if (Trainer.argmax(pe, i * 3, 3) == labels[i]) correct++;
    assertEquals((double) correct / n, e.accuracy(test), 1e-12);
    assertTrue(e.accuracy(test) > 0.9);
    assertArrayEquals(Arrays.copyOf(pe, 3), e.predict(test.row(0)), 1e-7f);
    assertEquals(2, e.size());
    assertThrows(IllegalArgumentException.class, () -> Ensemble.of(a, new SoftmaxRegression(3, 3, true, 0.1f)));
    assertThrows(IllegalArgumentException.class, () -> Ensemble.of(a, new SoftmaxRegression(2, 4, true, 0.1f)));
    assertThrows(IllegalArgumentException.class, () -> Ensemble.of());
  }
}
