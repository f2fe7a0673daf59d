package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import org.junit.jupiter.api.Test;

/**
 * Predictions keep packed weight panels between optimiser steps: every way the weights change
 * (a training step, a write through {@code parameters()}, a restored training position) must be
 * seen by the next prediction, which must equal a fresh model's with the same weights.
 */
class PackedWeightsTest {
  private static final String[] WIDE = {
    "package test;",
    "import dev.nabla.dsl.*;",
    "@Model(input = @Shape(20), loss = Loss.SOFTMAX_CROSS_ENTROPY)",
    "@Optimizer(type = OptimizerType.ADAM, learningRate = 0.01)",
    "abstract class Wide {",
    "  @Layer(units = 48, activation = Activation.GELU) Dense hidden;",
    "  @Layer(units = 40) Dense logits;",
    "}"
  };

  @Test
  void everyChangeOfTheWeightsReachesTheNextPrediction() {
    ClassLoader loader = GeneratedModels.load("test.Wide", WIDE);
    Network net = GeneratedModels.create(loader, "test.WideModel", 1);
    float[] live = net.parameters(); // kept: later reads must not bump the version themselves
    GradientCheck.Batch data = GradientCheck.Batch.random(8, 20, 40, true, 3);
    float[] out = new float[8 * 40];

    net.predict(data.xf(), 8, out);
    net.predict(data.xf(), 8, out);
    net.trainStep(data.xf(), data.labels(), 8);
    assertSameAsFresh(loader, net, live, data, "after a training step");

    float[] p = net.parameters();
    for (int i = 0; i < p.length; i += 3) p[i] *= -0.5f;
    assertSameAsFresh(loader, net, live, data, "after writing through parameters()");

    net.predict(data.xf(), 8, out);
    net.restoreTrainingPosition(5, 3);
    for (int i = 1; i < live.length; i += 4) live[i] += 0.25f;
    net.restoreTrainingPosition(5, 3);
    assertSameAsFresh(loader, net, live, data, "after a restored training position");
  }

  private static void assertSameAsFresh(ClassLoader loader, Network net, float[] live, GradientCheck.Batch data,
      String when) {
    Network fresh = GeneratedModels.create(loader, "test.WideModel", 1);
    System.arraycopy(live, 0, fresh.parameters(), 0, live.length);
    float[] a = new float[8 * 40], b = new float[8 * 40];
    net.predict(data.xf(), 8, a);
    fresh.predict(data.xf(), 8, b);
    for (int i = 0; i < a.length; i++) {
      assertWithMessage("%s: output %s", when, i).that((double) a[i]).isWithin(1e-6).of(b[i]);
    }
  }
}
