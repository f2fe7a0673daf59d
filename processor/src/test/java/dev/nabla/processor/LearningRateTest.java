package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import org.junit.jupiter.api.Test;

/** The generated {@code learningRate()} follows the declared schedule step by step. */
class LearningRateTest {

  @Test
  void stepScheduleHalvesTheRateEveryTwoSteps() {
    ClassLoader loader = GeneratedModels.load("test.Scheduled",
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(4), loss = Loss.MSE)",
        "@Optimizer(learningRate = 0.1, schedule = @Schedule(type = ScheduleType.STEP, stepSize = 2, gamma = 0.5))",
        "abstract class Scheduled {",
        "  @Layer(units = 2) Dense out;",
        "}");
    Network net = GeneratedModels.create(loader, "test.ScheduledModel", 1);
    GradientCheck.Batch batch = GradientCheck.Batch.random(3, 4, 2, false, 1);
    double[] expected = {0.1, 0.1, 0.05, 0.05, 0.025};
    for (int step = 0; step < expected.length; step++) {
      assertWithMessage("learning rate before step %s", step).that(net.learningRate())
          .isWithin(1e-12).of(expected[step]);
      net.trainStep(batch.xf(), batch.targetsf(), 3);
    }
  }

  @Test
  void withoutAScheduleTheRateIsTheDeclaredOne() {
    ClassLoader loader = GeneratedModels.load("test.Constant",
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(4), loss = Loss.MSE)",
        "@Optimizer(learningRate = 0.25)",
        "abstract class Constant {",
        "  @Layer(units = 2) Dense out;",
        "}");
    Network net = GeneratedModels.create(loader, "test.ConstantModel", 1);
    assertWithMessage("learning rate").that(net.learningRate()).isWithin(1e-12).of(0.25);
  }
}
