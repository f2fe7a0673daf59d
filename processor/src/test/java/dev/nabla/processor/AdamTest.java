package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static dev.nabla.processor.ErrorMessagesTest.expectError;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import org.junit.jupiter.api.Test;

/** The Adam optimiser: its compile-time checks, and the generated update in both precisions. */
class AdamTest {
  private static final String MODEL = "@Model(input = @Shape(784), loss = Loss.MSE)";

  @Test
  void betaOutsideTheUnitIntervalIsAnError() {
    expectError("[BadHyperParameter] beta2 must be in [0, 1), was 1", "beta2 = 1.0",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAM,",
        "    beta2 = 1.0)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void nonPositiveEpsilonIsAnError() {
    expectError("[BadHyperParameter] epsilon must be positive and finite, was 0", "epsilon = 0",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAM,",
        "    epsilon = 0)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void momentumDoesNotApplyToAdam() {
    expectError("[AttributeNotApplicable] 'momentum' does not apply to the ADAM optimiser (it is for SGD and RMSPROP)",
        "momentum = 0.9",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAM,",
        "    momentum = 0.9)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void betasDoNotApplyToSgd() {
    expectError("[AttributeNotApplicable] 'beta1' does not apply to the SGD optimiser (it is for ADAM, ADAMW, ADAMAX and NADAM)",
        "beta1 = 0.8",
        MODEL,
        "@Optimizer(learningRate = 0.1,",
        "    beta1 = 0.8)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  /** Ten Adam steps of the float SIMD model follow the double model, and the loss falls. */
  @Test
  void generatedAdamStepsAgreeAcrossPrecisionsAndLearn() {
    ClassLoader loader = GeneratedModels.load("test.AdamNet",
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(12), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})",
        "@Optimizer(type = OptimizerType.ADAM, learningRate = 0.01, beta1 = 0.8, beta2 = 0.99, epsilon = 1e-6)",
        "abstract class AdamNet {",
        "  @Layer(units = 8, activation = Activation.TANH) Dense hidden;",
        "  @Layer(units = 4) Dense logits;",
        "}");
    Network fast = GeneratedModels.create(loader, "test.AdamNetModel", 3);
    NetworkF64 exact = GeneratedModels.create(loader, "test.AdamNetModelF64", 3);
    GradientCheck.copyWeights(fast, exact);
    GradientCheck.Batch batch = GradientCheck.Batch.random(16, 12, 4, true, 1);
    double first = exact.trainStep(batch.x(), batch.labels(), 16);
    fast.trainStep(batch.xf(), batch.labels(), 16);
    double last = first;
    for (int i = 0; i < 9; i++) {
      last = exact.trainStep(batch.x(), batch.labels(), 16);
      fast.trainStep(batch.xf(), batch.labels(), 16);
    }
    assertWithMessage("parameters after 10 Adam steps, float vs double")
        .that(GradientCheck.normRelativeError(fast.parameters(), exact.parameters())).isAtMost(1e-4);
    assertWithMessage("loss after 10 steps vs first").that(last).isLessThan(first * 0.9);
  }
}
