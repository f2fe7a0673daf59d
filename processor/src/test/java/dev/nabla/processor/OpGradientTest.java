package dev.nabla.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.nabla.runtime.GradientCheck;
import dev.nabla.runtime.Network;
import dev.nabla.runtime.NetworkF64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gradient checks of every op kind and activation, on generated models: the double variant
 * against central differences (≤ 1e-6 relative), the float SIMD variant against the double one
 * (≤ 1e-4 relative), for gradients, losses and predictions.
 */
class OpGradientTest {

  /** Each activation in every backward path: folded into a dense backward, its own pass (merge consumer, MSE output), and as an activation-only layer. */
  static List<String[]> activations() {
    return List.of(
        new String[] {"SIGMOID", ""},
        new String[] {"TANH", ""},
        new String[] {"RELU", ""},
        new String[] {"LEAKY_RELU", ", alpha = 0.2"},
        new String[] {"ELU", ", alpha = 0.7"},
        new String[] {"SELU", ""},
        new String[] {"GELU", ""},
        new String[] {"SWISH", ""},
        new String[] {"SOFTMAX", ", temperature = 2.0"},
        new String[] {"NONE", ""});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("activations")
  void everyActivationInEveryBackwardPath(String activation, String param) {
    String act = "activation = Activation." + activation + param;
    String name = "Act" + activation.replace("_", "");
    check("test." + name, 3, 6, 4, false,
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(6), loss = Loss.MSE, precision = {Precision.F32, Precision.F64})",
        "abstract class " + name + " {",
        "  @Layer(units = 5, " + act + ") Dense d1;",
        "  @Layer(units = 5, " + act + ") Dense d2;",
        "  @Layer(from = {\"d1\", \"d2\"}, " + act + ") Add sum;",
        "  @Layer(" + act + ") ActivationLayer act;",
        "  @Layer(units = 4, " + act + ") Dense out;",
        "}");
  }

  @org.junit.jupiter.api.Test
  void mergesDropoutAndNoBias() {
    check("test.Merges", 4, 7, 5, true,
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(7), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})",
        "abstract class Merges {",
        "  @Layer(units = 6, activation = Activation.TANH) Dense a;",
        "  @Layer(units = 6, activation = Activation.GELU, from = \"input\") Dense b;",
        "  @Layer(from = {\"a\", \"b\", \"a\"}, activation = Activation.SWISH) Add sum;",
        "  @Layer(from = {\"sum\", \"b\", \"input\"}) Concat wide;",
        "  @Layer(rate = 0.3) Dropout drop;",
        "  @Layer(units = 8, bias = false, activation = Activation.ELU) Dense c;",
        "  @Layer(from = {\"c\", \"wide\"}) Concat both;",
        "  @Layer(units = 5) Dense logits;",
        "}");
  }

  @org.junit.jupiter.api.Test
  void blocksRepeatAndForwardReferences() {
    check("test.Blocks", 3, 5, 3, true,
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(5), loss = Loss.SOFTMAX_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})",
        "abstract class Blocks {",
        "  @Block static abstract class Residual {",
        "    @Layer(from = {\"input\", \"down\"}) Add res;",
        "    @Layer(units = 9, activation = Activation.GELU, from = \"input\") Dense up;",
        "    @Layer(units = 6, from = \"up\") Dense down;",
        "    @Layer(from = \"res\", activation = Activation.TANH) ActivationLayer out;",
        "  }",
        "  @Layer(units = 6, activation = Activation.SIGMOID) Dense stem;",
        "  @Layer(repeat = 3) Residual blocks;",
        "  @Layer(units = 6, activation = Activation.RELU, repeat = 2) Dense hidden;",
        "  @Layer(units = 3) Dense logits;",
        "}");
  }

  @org.junit.jupiter.api.Test
  void rankTwoInputsUseRowsOfTheLastAxis() {
    check("test.Rows", 2, 12, 24, false,
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape({3, 4}), loss = Loss.MSE, precision = {Precision.F32, Precision.F64})",
        "abstract class Rows {",
        "  @Layer(units = 5, activation = Activation.SOFTMAX) Dense mix;",
        "  @Layer(units = 2, activation = Activation.SIGMOID) Dense out;",
        "  @Layer(units = 8, from = \"out\") Dense flat;",
        "}");
  }

  @org.junit.jupiter.api.Test
  void binaryCrossEntropyOnLogits() {
    check("test.Bce", 5, 6, 7, false,
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(6), loss = Loss.BINARY_CROSS_ENTROPY, precision = {Precision.F32, Precision.F64})",
        "abstract class Bce {",
        "  @Layer(units = 9, activation = Activation.TANH) Dense hidden;",
        "  @Layer(units = 7) Dense logits;",
        "}");
  }

  @org.junit.jupiter.api.Test
  void softmaxCrossEntropyWithLabelSmoothing() {
    check("test.Smooth", 4, 6, 11, true,
        "package test;",
        "import dev.nabla.dsl.*;",
        "@Model(input = @Shape(6), loss = Loss.SOFTMAX_CROSS_ENTROPY, labelSmoothing = 0.2,",
        "    precision = {Precision.F32, Precision.F64})",
        "abstract class Smooth {",
        "  @Layer(units = 9, activation = Activation.GELU) Dense hidden;",
        "  @Layer(units = 11) Dense logits;",
        "}");
  }

  private static void check(String qualifiedName, int batch, int inputs, int outputs, boolean classifier,
      String... source) {
    ClassLoader loader = GeneratedModels.load(qualifiedName, source);
    NetworkF64 exact = GeneratedModels.create(loader, qualifiedName + "ModelF64", 7);
    Network fast = GeneratedModels.create(loader, qualifiedName + "Model", 7);
    GradientCheck.Batch data = GradientCheck.Batch.random(batch, inputs, outputs, classifier, 11);

    double gradError = GradientCheck.maxRelativeError(exact, data);
    assertWithMessage("%s: double gradients vs central differences", qualifiedName).that(gradError).isAtMost(1e-6);

    GradientCheck.copyWeights(fast, exact);
    double lossExact = data.loss(exact);
    float lossFast = data.loss(fast);
    assertWithMessage("%s: float loss vs double", qualifiedName)
        .that(Math.abs(lossFast - lossExact) / Math.abs(lossExact)).isAtMost(1e-4);
    assertWithMessage("%s: float gradients vs double", qualifiedName)
        .that(GradientCheck.normRelativeError(fast.gradients(), exact.gradients())).isAtMost(1e-4);

    double[] pe = new double[batch * fast.outputSize()];
    float[] pf = new float[pe.length];
    exact.predict(data.x(), batch, pe);
    fast.predict(data.xf(), batch, pf);
    assertWithMessage("%s: float predictions vs double", qualifiedName)
        .that(GradientCheck.normRelativeError(pf, pe)).isAtMost(1e-4);
  }
}
