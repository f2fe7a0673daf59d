package dev.nabla.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static dev.nabla.processor.ErrorMessagesTest.expectError;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.runtime.DivergenceException;
import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import dev.nabla.runtime.ParameterSpec;
import org.junit.jupiter.api.Test;

/** Binary cross-entropy, label smoothing, coupled weight decay and the divergence check. */
class LossesTest {

  @Test
  void labelSmoothingOnlyForSoftmaxCrossEntropy() {
    expectError("[AttributeNotApplicable] 'labelSmoothing' does not apply to loss MSE (it is for SOFTMAX_CROSS_ENTROPY)",
        "labelSmoothing = 0.1",
        "@Model(input = @Shape(4), loss = Loss.MSE,",
        "    labelSmoothing = 0.1)",
        "public abstract class Foo {",
        "  @Layer(units = 3) Dense out;",
        "}");
  }

  @Test
  void labelSmoothingOutsideTheUnitInterval() {
    expectError("[BadHyperParameter] labelSmoothing must be in [0, 1), was 1",
        "labelSmoothing = 1.0",
        "@Model(input = @Shape(4), loss = Loss.SOFTMAX_CROSS_ENTROPY,",
        "    labelSmoothing = 1.0)",
        "public abstract class Foo {",
        "  @Layer(units = 3) Dense out;",
        "}");
  }

  @Test
  void binaryCrossEntropyNeedsLogits() {
    expectError("[LossOutput] loss BINARY_CROSS_ENTROPY applies the sigmoid itself; the output layer 'out' must"
            + " produce logits (no activation), it has SIGMOID",
        "activation = Activation.SIGMOID",
        "@Model(input = @Shape(4), loss = Loss.BINARY_CROSS_ENTROPY)",
        "public abstract class Foo {",
        "  @Layer(units = 3,",
        "      activation = Activation.SIGMOID) Dense out;",
        "}");
  }

  @Test
  void binaryCrossEntropyPredictsSigmoidProbabilities() {
    ClassLoader loader = GeneratedModels.load("test.Tags",
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(5), loss = Loss.BINARY_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})",
        "abstract class Tags {",
        "  @Layer(units = 3) Dense logits;",
        "}");
    NetworkF64 m = GeneratedModels.create(loader, "test.TagsModelF64", 5);
    assertThat(m.classifier()).isFalse();
    GradientCheck.Batch data = GradientCheck.Batch.random(4, 5, 3, false, 2);
    double[] p = new double[12];
    m.predict(data.x(), 4, p);
    // the loss by hand from the probabilities: mean of −t·log p − (1 − t)·log(1 − p)
    double expected = 0;
    for (int i = 0; i < 12; i++) {
      double t = data.targets()[i];
      assertThat(p[i]).isIn(com.google.common.collect.Range.open(0.0, 1.0));
      expected -= t * Math.log(p[i]) + (1 - t) * Math.log(1 - p[i]);
    }
    assertThat(m.computeGradients(data.x(), data.targets(), 4)).isWithin(1e-12).of(expected / 12);
  }

  @Test
  void coupledWeightDecayIsTorchSgd() {
    ClassLoader loader = GeneratedModels.load("test.Decay",
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(6), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})",
        "@Optimizer(learningRate = 0.1, momentum = 0.9, weightDecay = 0.05)",
        "abstract class Decay {",
        "  @Layer(units = 5, activation = Activation.TANH) Dense hidden;",
        "  @Layer(units = 3) Dense logits;",
        "}");
    NetworkF64 m = GeneratedModels.create(loader, "test.DecayModelF64", 5);
    Network f = GeneratedModels.create(loader, "test.DecayModel", 5);
    GradientCheck.copyWeights(f, m);
    GradientCheck.Batch data = GradientCheck.Batch.random(4, 6, 3, true, 3);
    double[] p0 = m.parameters().clone();
    m.computeGradients(data.x(), data.labels(), 4);
    double[] g = m.gradients().clone();
    m.trainStep(data.x(), data.labels(), 4);
    f.trainStep(data.xf(), data.labels(), 4);
    // torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.05), first step: v = g + λp; p −= lr·v
    for (int i = 0; i < p0.length; i++) {
      double v = g[i] + 0.05 * p0[i];
      assertWithMessage("parameter %s", i).that(m.parameters()[i]).isWithin(1e-12).of(p0[i] - 0.1 * v);
    }
    assertWithMessage("float vs double after a decayed step")
        .that(GradientCheck.normRelativeError(f.parameters(), m.parameters())).isAtMost(1e-5);
  }

  private static final String[] DIVERGING = {
      "package test;",
      "import dev.nabla.dsl.*;",
      "@Model(input = @Shape(6), loss = Loss.MSE, precision = {Precision.F32, Precision.F64})",
      "@Optimizer(learningRate = 1e6)",
      "abstract class Diverge {",
      "  @Layer(units = 8, activation = Activation.RELU) Dense d1;",
      "  @Layer(units = 8, activation = Activation.TANH) Dense d2;",
      "  @Layer(units = 3) Dense out;",
      "}"};

  @Test
  void divergenceCheckNamesTheFirstNonFiniteLayer() {
    ClassLoader loader = GeneratedModels.load("test.Diverge", DIVERGING);
    Network m = GeneratedModels.create(loader, "test.DivergeModel", 1);
    GradientCheck.Batch data = GradientCheck.Batch.random(4, 6, 3, false, 3);
    m.trainStep(data.xf(), data.targetsf(), 4);
    m.trainStep(data.xf(), data.targetsf(), 4);
    ParameterSpec w2 = m.parameterSpecs().stream().filter(s -> s.name().equals("d2.weight")).findFirst().orElseThrow();
    m.parameters()[w2.offset() + 3] = Float.NaN;
    // off: no check, the step goes through
    assertThat(Float.isNaN(m.computeGradients(data.xf(), data.targetsf(), 4))).isTrue();
    m.setDivergenceCheck(true);
    float[] before = m.parameters().clone();
    DivergenceException e = assertThrows(DivergenceException.class, () -> m.trainStep(data.xf(), data.targetsf(), 4));
    assertThat(e.step()).isEqualTo(2);
    assertThat(e.layer()).isEqualTo("d2");
    assertThat(e.what()).isEqualTo("output");
    assertThat(e).hasMessageThat().isEqualTo(
        "training diverged at step 2: the output of layer 'd2' holds NaN or Inf");
    assertThat(m.parameters()).isEqualTo(before);
  }

  @Test
  void divergenceCheckStopsAHugeLearningRate() {
    ClassLoader loader = GeneratedModels.load("test.Diverge", DIVERGING);
    NetworkF64 m = GeneratedModels.create(loader, "test.DivergeModelF64", 1);
    m.setDivergenceCheck(true);
    GradientCheck.Batch data = GradientCheck.Batch.random(4, 6, 3, false, 3);
    DivergenceException e = assertThrows(DivergenceException.class, () -> {
      for (int i = 0; i < 1000; i++) m.trainStep(data.x(), data.targets(), 4);
    });
    assertThat(e.step()).isGreaterThan(0L);
    assertThat(e).hasMessageThat().contains("holds NaN or Inf");
  }

  @Test
  void fitStopsOnDivergenceWhenAsked() {
    ClassLoader loader = GeneratedModels.load("test.Diverge", DIVERGING);
    Network m = GeneratedModels.create(loader, "test.DivergeModel", 1);
    GradientCheck.Batch data = GradientCheck.Batch.random(8, 6, 3, false, 3);
    dev.nabla.runtime.data.Dataset train = dev.nabla.runtime.data.Dataset.ofTargets(data.xf(), 6, data.targetsf(), 3);
    DivergenceException e = assertThrows(DivergenceException.class,
        () -> m.fit(train, dev.nabla.runtime.train.Fit.epochs(500).batch(4).quiet().checkDivergence()));
    assertThat(e.step()).isGreaterThan(0L);
  }
}
