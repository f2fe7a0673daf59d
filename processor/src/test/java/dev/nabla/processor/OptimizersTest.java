package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static dev.nabla.processor.ErrorMessagesTest.expectError;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import org.junit.jupiter.api.Test;

/**
 * The optimisers beyond SGD and Adam, the learning-rate schedules and gradient clipping: every
 * compile-time check on their hyper-parameters (tag, message, and the value javac points at), and one
 * generated model per optimiser whose float and double steps agree and learn.
 */
class OptimizersTest {
  private static final String MODEL = "@Model(input = @Shape(784), loss = Loss.MSE)";

  @Test
  void alphaOutsideTheUnitInterval() {
    expectError("[BadHyperParameter] alpha must be in [0, 1), was 1.5",
        "alpha = 1.5",
        MODEL,
        "@Optimizer(type = OptimizerType.RMSPROP,",
        "    alpha = 1.5)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void rmspropMomentumOutsideTheUnitInterval() {
    expectError("[BadHyperParameter] momentum must be in [0, 1), was -0.5",
        "momentum = -0.5",
        MODEL,
        "@Optimizer(type = OptimizerType.RMSPROP,",
        "    momentum = -0.5)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void centeredDoesNotApplyToAdam() {
    expectError("[AttributeNotApplicable] 'centered' does not apply to the ADAM optimiser (it is for RMSPROP)",
        "centered = true",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAM,",
        "    centered = true)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void rhoOutsideTheUnitInterval() {
    expectError("[BadHyperParameter] rho must be in [0, 1), was 1",
        "rho = 1.0",
        MODEL,
        "@Optimizer(type = OptimizerType.ADADELTA,",
        "    rho = 1.0)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void rhoDoesNotApplyToRmsprop() {
    expectError("[AttributeNotApplicable] 'rho' does not apply to the RMSPROP optimiser (it is for ADADELTA)",
        "rho = 0.5",
        MODEL,
        "@Optimizer(type = OptimizerType.RMSPROP,",
        "    rho = 0.5)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void negativeInitialAccumulator() {
    expectError("[BadHyperParameter] initialAccumulator must be non-negative and finite, was -1",
        "initialAccumulator = -1",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAGRAD,",
        "    initialAccumulator = -1)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void negativeWeightDecay() {
    expectError("[BadHyperParameter] weightDecay must be non-negative and finite, was -0.01",
        "weightDecay = -0.01",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAMW,",
        "    weightDecay = -0.01)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void negativeCoupledWeightDecay() {
    expectError("[BadHyperParameter] weightDecay must be non-negative and finite, was -0.1",
        "weightDecay = -0.1",
        MODEL,
        "@Optimizer(type = OptimizerType.SGD,",
        "    weightDecay = -0.1)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void infiniteMomentumDecay() {
    expectError("[BadHyperParameter] momentumDecay must be non-negative and finite, was Infinity",
        "momentumDecay = Double.POSITIVE_INFINITY",
        MODEL,
        "@Optimizer(type = OptimizerType.NADAM,",
        "    momentumDecay = Double.POSITIVE_INFINITY)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void momentumDecayDoesNotApplyToAdamax() {
    expectError("[AttributeNotApplicable] 'momentumDecay' does not apply to the ADAMAX optimiser (it is for NADAM)",
        "momentumDecay = 0.01",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAMAX,",
        "    momentumDecay = 0.01)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void adamaxBetaOutsideTheUnitInterval() {
    expectError("[BadHyperParameter] beta1 must be in [0, 1), was 1",
        "beta1 = 1",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAMAX,",
        "    beta1 = 1)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void nadamBetaOutsideTheUnitInterval() {
    expectError("[BadHyperParameter] beta2 must be in [0, 1), was -0.1",
        "beta2 = -0.1",
        MODEL,
        "@Optimizer(type = OptimizerType.NADAM,",
        "    beta2 = -0.1)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void adagradNonPositiveEpsilon() {
    expectError("[BadHyperParameter] epsilon must be positive and finite, was 0",
        "epsilon = 0",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAGRAD,",
        "    epsilon = 0)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void epsilonDoesNotApplyToSgd() {
    expectError("[AttributeNotApplicable] 'epsilon' does not apply to the SGD optimiser (it is for ADAM, ADAGRAD, RMSPROP, ADADELTA, ADAMW, ADAMAX and NADAM)",
        "epsilon = 1e-6",
        MODEL,
        "@Optimizer(learningRate = 0.1,",
        "    epsilon = 1e-6)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void negativeLearningRate() {
    expectError("[BadHyperParameter] learningRate must be positive and finite, was -0.1",
        "learningRate = -0.1",
        MODEL,
        "@Optimizer(type = OptimizerType.ADADELTA,",
        "    learningRate = -0.1)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void negativeClipNorm() {
    expectError("[BadHyperParameter] clipNorm (0 for none) must be positive and finite, was -1",
        "clipNorm = -1",
        MODEL,
        "@Optimizer(type = OptimizerType.ADAMW,",
        "    clipNorm = -1)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void nesterovWithoutMomentum() {
    expectError("[NesterovWithoutMomentum] Nesterov momentum needs momentum > 0; set momentum (e.g. 0.9) or remove nesterov",
        "nesterov = true",
        MODEL,
        "@Optimizer(learningRate = 0.1,",
        "    nesterov = true)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void nonPositiveStepSize() {
    expectError("[NonPositiveSize] stepSize must be positive, was 0",
        "stepSize = 0",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.STEP,",
        "    stepSize = 0))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void gammaAboveOne() {
    expectError("[BadHyperParameter] gamma must be in (0, 1], was 1.5",
        "gamma = 1.5",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.EXPONENTIAL,",
        "    gamma = 1.5))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void zeroGamma() {
    expectError("[BadHyperParameter] gamma must be in (0, 1], was 0",
        "gamma = 0",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.STEP,",
        "    gamma = 0))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void nonPositivePeriod() {
    expectError("[NonPositiveSize] period must be positive, was -5",
        "period = -5",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.COSINE,",
        "    period = -5))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void periodMultiplierBelowOne() {
    expectError("[BadHyperParameter] periodMultiplier must be at least 1, was 0",
        "periodMultiplier = 0",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.COSINE,",
        "    periodMultiplier = 0))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void minLrAboveLearningRate() {
    expectError("[BadHyperParameter] minLr must be in [0, learningRate = 0.01), was 0.1",
        "minLr = 0.1",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.COSINE,",
        "    minLr = 0.1))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void baseLrAboveLearningRate() {
    expectError("[BadHyperParameter] baseLr must be in [0, learningRate = 0.01), was 0.02",
        "baseLr = 0.02",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.CYCLIC,",
        "    baseLr = 0.02))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void nonPositiveStepSizeUp() {
    expectError("[NonPositiveSize] stepSizeUp must be positive, was 0",
        "stepSizeUp = 0",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.CYCLIC,",
        "    stepSizeUp = 0))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void negativeWarmup() {
    expectError("[BadHyperParameter] warmupSteps must be 0 or more, was -10",
        "warmupSteps = -10",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.COSINE,",
        "    warmupSteps = -10))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void periodDoesNotApplyToStepSchedule() {
    expectError("[AttributeNotApplicable] 'period' does not apply to the STEP schedule (it is for COSINE)",
        "period = 10",
        MODEL,
        "@Optimizer(schedule = @Schedule(type = ScheduleType.STEP,",
        "    period = 10))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  // ---------------------------------------------------------------- generated models

  @Test
  void generatedAdagradStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("AdagradNet", "@Optimizer(type = OptimizerType.ADAGRAD, learningRate = 0.05, initialAccumulator = 0.1)");
  }

  @Test
  void generatedRmspropStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("RmspropNet", "@Optimizer(type = OptimizerType.RMSPROP, learningRate = 0.003, momentum = 0.5, centered = true, clipNorm = 1.0)");
  }

  @Test
  void generatedRmspropPlainStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("RmspropPlainNet", "@Optimizer(type = OptimizerType.RMSPROP, learningRate = 0.003)");
  }

  @Test
  void generatedAdadeltaStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("AdadeltaNet", "@Optimizer(type = OptimizerType.ADADELTA, learningRate = 1.0, rho = 0.9)");
  }

  @Test
  void generatedAdamwStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("AdamwNet", "@Optimizer(type = OptimizerType.ADAMW, learningRate = 0.01, weightDecay = 0.05, schedule = @Schedule(type = ScheduleType.COSINE, period = 4, periodMultiplier = 2, minLr = 0.001, warmupSteps = 3))");
  }

  @Test
  void generatedAdamaxStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("AdamaxNet", "@Optimizer(type = OptimizerType.ADAMAX, learningRate = 0.01, schedule = @Schedule(type = ScheduleType.STEP, stepSize = 3, gamma = 0.5))");
  }

  @Test
  void generatedNadamStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("NadamNet", "@Optimizer(type = OptimizerType.NADAM, learningRate = 0.01, clipNorm = 0.5, schedule = @Schedule(type = ScheduleType.EXPONENTIAL, gamma = 0.95))");
  }

  @Test
  void generatedSgdCyclicStepsAgreeAcrossPrecisionsAndLearn() {
    trainsInBothPrecisions("SgdCyclicNet", "@Optimizer(type = OptimizerType.SGD, learningRate = 0.2, momentum = 0.9, nesterov = true, clipNorm = 2.0, schedule = @Schedule(type = ScheduleType.CYCLIC, baseLr = 0.02, stepSizeUp = 3, warmupSteps = 2))");
  }

  /** Ten steps of the float SIMD model follow the double model, and the loss falls. */
  private static void trainsInBothPrecisions(String name, String optimizer) {
    ClassLoader loader = GeneratedModels.load("test." + name,
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(12), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})",
        optimizer,
        "abstract class " + name + " {",
        "  @Layer(units = 8, activation = Activation.TANH) Dense hidden;",
        "  @Layer(units = 4) Dense logits;",
        "}");
    Network fast = GeneratedModels.create(loader, "test." + name + "Model", 3);
    NetworkF64 exact = GeneratedModels.create(loader, "test." + name + "ModelF64", 3);
    GradientCheck.copyWeights(fast, exact);
    GradientCheck.Batch batch = GradientCheck.Batch.random(16, 12, 4, true, 1);
    double first = exact.trainStep(batch.x(), batch.labels(), 16);
    fast.trainStep(batch.xf(), batch.labels(), 16);
    double last = first;
    for (int i = 0; i < 9; i++) {
      last = exact.trainStep(batch.x(), batch.labels(), 16);
      fast.trainStep(batch.xf(), batch.labels(), 16);
    }
    assertWithMessage(name + ": parameters after 10 steps, float vs double")
        .that(GradientCheck.normRelativeError(fast.parameters(), exact.parameters())).isAtMost(1e-4);
    assertWithMessage(name + ": loss after 10 steps vs first").that(last).isLessThan(first);
  }
}
