package dev.nabla.runtime.train;

import static org.junit.jupiter.api.Assertions.*;

import dev.nabla.runtime.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrainerTest {

  /** Three separable 2-D blobs around (0, 3), (3, -2), (-3, -2). */
  static Dataset blobs(int n, long seed) {
    Random r = new Random(seed);
    float[][] centers = {{0, 3}, {3, -2}, {-3, -2}};
    float[] x = new float[n * 2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      x[2 * i] = centers[y[i]][0] + (float) r.nextGaussian() * 0.6f;
      x[2 * i + 1] = centers[y[i]][1] + (float) r.nextGaussian() * 0.6f;
    }
    return Dataset.ofLabels(x, 2, y, 3);
  }

  @Test
  void softmaxRegressionLearns() {
    Dataset train = blobs(600, 1);
    Dataset val = blobs(300, 2);
    SoftmaxRegression net = new SoftmaxRegression(2, 3, true, 0.1f);
    Evaluation before = Trainer.evaluate(net, val);
    assertEquals(Math.log(3), before.loss(), 1e-6, "uniform probabilities at zero weights");
    List<EpochMetrics> seen = new ArrayList<>();
    History h = net.fit(train, Fit.epochs(5).batch(32).validation(val).quiet().onEpoch(seen::add));

    assertEquals(5, h.size());
    assertEquals(seen, h.epochs());
    assertEquals(5, h.last().epoch());
    assertEquals(1, h.epoch(1).epoch());
    assertTrue(h.last().loss() < h.epoch(1).loss(), "loss falls: " + h);
    assertTrue(h.last().accuracy() >= 0.95, "train accuracy " + h.last().accuracy());
    assertTrue(h.last().valAccuracy() >= 0.95, "val accuracy " + h.last().valAccuracy());
    assertTrue(h.last().valLoss() < before.loss());
    assertTrue(h.last().hasValidation());
    assertTrue(h.last().seconds() >= 0);
    assertEquals(5 * 19, net.steps, "600 examples in batches of 32: 18 full + 1 partial per epoch");

    Evaluation after = Trainer.evaluate(net, val);
    assertEquals(300, after.count());
    assertEquals(h.last().valLoss(), after.loss(), 1e-9);
    assertEquals(after.accuracy(), Trainer.accuracy(net, val), 1e-12);
    assertEquals(after.accuracy(), Trainer.evaluate(net, val, 7).accuracy(), 1e-12, "batch size does not matter");
  }

  @Test
  void sameSeedSameRun() {
    Dataset train = blobs(200, 3);
    SoftmaxRegression a = new SoftmaxRegression(2, 3, true, 0.1f);
    SoftmaxRegression b = new SoftmaxRegression(2, 3, true, 0.1f);
    SoftmaxRegression c = new SoftmaxRegression(2, 3, true, 0.1f);
    Trainer.fit(a, train, Fit.epochs(2).batch(16).shuffleSeed(5).quiet());
    Trainer.fit(b, train, Fit.epochs(2).batch(16).shuffleSeed(5).quiet());
    Trainer.fit(c, train, Fit.epochs(2).batch(16).shuffleSeed(6).quiet());
    assertArrayEquals(a.parameters(), b.parameters());
    assertFalse(java.util.Arrays.equals(a.parameters(), c.parameters()));
  }

  @Test
  void regression() {
    Random r = new Random(4);
    int n = 256;
    float[] x = new float[n * 2];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[2 * i] = (float) r.nextGaussian();
      x[2 * i + 1] = (float) r.nextGaussian();
      y[i] = 2 * x[2 * i] - x[2 * i + 1] + 0.5f;
    }
    Dataset d = Dataset.ofTargets(x, 2, y, 1);
    SoftmaxRegression net = new SoftmaxRegression(2, 1, false, 0.1f);
    double mse0 = Trainer.evaluate(net, d).loss();
    History h = Trainer.fit(net, d, Fit.epochs(10).batch(16).validation(d).quiet());
    assertTrue(Double.isNaN(h.last().accuracy()));
    assertTrue(h.last().valLoss() < 1e-3 * mse0, h.toString());
    assertTrue(Double.isNaN(Trainer.evaluate(net, d).accuracy()));
    assertThrows(IllegalArgumentException.class, () -> Trainer.accuracy(net, d));
  }

  @Test
  void mismatchMessagesNameBoth() {
    Dataset d = blobs(30, 1);
    var e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(new SoftmaxRegression(3, 3, true, 0.1f), d, Fit.epochs(1).quiet()));
    assertEquals("the training dataset has 2 features per row but network TinySoftmax has inputSize 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(new SoftmaxRegression(2, 4, true, 0.1f), d, Fit.epochs(1).quiet()));
    assertEquals("the training dataset has 3 classes but network TinySoftmax has outputSize 4", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(new SoftmaxRegression(2, 3, false, 0.1f), d, Fit.epochs(1).quiet()));
    assertTrue(e.getMessage().contains("TinyLinear is a regression") && e.getMessage().contains("3 classes"), e.getMessage());
    Dataset t = Dataset.ofTargets(new float[4], 2, new float[2], 1);
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(new SoftmaxRegression(2, 1, true, 0.1f), t, Fit.epochs(1).quiet()));
    assertTrue(e.getMessage().contains("TinySoftmax is a classifier") && e.getMessage().contains("1 float targets"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.fit(new SoftmaxRegression(2, 3, true, 0.1f), d, Fit.epochs(1).validation(blobs(3, 1).subset(0, 0)).batch(4)
            .validation(Dataset.ofLabels(new float[3], 3, new int[1], 3)).quiet()));
    assertTrue(e.getMessage().startsWith("the validation dataset has 3 features"), e.getMessage());
  }

  @Test
  void nanStopsWithEpochAndBatch() {
    SoftmaxRegression net = new SoftmaxRegression(2, 3, true, 0.1f);
    net.nanAtStep = 12; // epoch 2 (10 batches of 10 per epoch), batch 2
    var e = assertThrows(IllegalStateException.class, () -> Trainer.fit(net, blobs(100, 1), Fit.epochs(3).batch(10).quiet()));
    assertTrue(e.getMessage().contains("NaN at epoch 2, batch 2/10"), e.getMessage());
  }

  @Test
  void fitValidatesOptions() {
    var e = assertThrows(IllegalArgumentException.class, () -> Fit.epochs(0));
    assertEquals("epochs must be positive, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Fit.epochs(1).batch(-3));
    assertEquals("batch size must be positive, got -3", e.getMessage());
    Fit f = Fit.epochs(3);
    Fit g = f.batch(64).shuffleSeed(9).quiet();
    assertEquals(32, f.batchSize());
    assertFalse(f.isQuiet());
    assertEquals(0, f.seed());
    assertTrue(f.shuffles());
    assertEquals(64, g.batchSize());
    assertEquals(9, g.seed());
    assertTrue(g.isQuiet());
    assertEquals(3, g.epochCount());
    assertFalse(g.noShuffle().shuffles());
  }

  @Test
  void printsEpochLines() {
    var buffer = new java.io.ByteArrayOutputStream();
    var old = System.err;
    System.setErr(new java.io.PrintStream(buffer, true));
    try {
      Trainer.fit(new SoftmaxRegression(2, 3, true, 0.1f), blobs(90, 1), Fit.epochs(2).batch(8).validation(blobs(30, 2)));
    } finally {
      System.setErr(old);
    }
    String[] lines = buffer.toString().strip().split("\n");
    assertEquals(2, lines.length, buffer.toString()); // not a terminal: no bar lines, one line per epoch
    assertTrue(lines[1].matches("epoch 2/2  loss \\d\\.\\d{4}  acc \\d\\.\\d{3}  val_loss \\d\\.\\d{4}  val_acc \\d\\.\\d{3}  \\(\\d+\\.\\d s, \\d+(\\.\\d[kM])? ex/s\\)"),
        lines[1]);
  }
}
