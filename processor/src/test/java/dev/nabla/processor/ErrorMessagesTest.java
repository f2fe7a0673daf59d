package dev.nabla.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One test per user-facing message of the processor: each compiles a small declaration with one
 * mistake and asserts the message's tag, its text and the source line javac points at. Where a
 * finding points at an annotation value, that value sits on its own line so the line assertion
 * proves javac underlines the value and not just the field.
 */
class ErrorMessagesTest {

  private static final String[] HEADER = {
    "package test;",
    "",
    "import dev.nabla.dsl.*;",
    "",
  };

  /** The default model header: a 784-feature input and the MSE loss. */
  private static final String MODEL = "@Model(input = @Shape(784), loss = Loss.MSE)";

  // ---------------------------------------------------------------- helpers

  /** A source file {@code test.<name>} holding the package and import header followed by the lines. */
  static JavaFileObject source(String name, String... lines) {
    List<String> all = new ArrayList<>(List.of(HEADER));
    all.addAll(List.of(lines));
    return JavaFileObjects.forSourceLines("test." + name, all);
  }

  static JavaFileObject foo(String... lines) {
    return source("Foo", lines);
  }

  static Compilation compile(JavaFileObject... files) {
    return Compiler.javac().withProcessors(new NablaProcessor()).compile(files);
  }

  /** Compiles the files and asserts the processor asked the filer for no source file. */
  static Compilation compileGeneratingNothing(JavaFileObject... files) {
    RecordingProcessor processor = new RecordingProcessor();
    Compilation c = Compiler.javac().withProcessors(processor).compile(files);
    assertThat(processor.generatedSources()).isEmpty();
    return c;
  }

  /** Compiles {@code test.Foo} made of the header and the given lines. */
  static Compilation compile(String... lines) {
    return compile(foo(lines));
  }

  /** Asserts an error with the text on the line containing {@code line} of {@code file}, and nothing generated. */
  static void assertError(Compilation c, JavaFileObject file, String text, String line) {
    assertThat(c).failed();
    assertThat(c).hadErrorContaining(text).inFile(file).onLineContaining(line);
  }

  /**
   * Compiles the lines as {@code test.Foo} and asserts the error text on the line containing
   * {@code line}, and that no model was generated.
   */
  static void expectError(String text, String line, String... lines) {
    JavaFileObject file = foo(lines);
    assertError(compileGeneratingNothing(file), file, text, line);
  }

  // ---------------------------------------------------------------- the declaring class

  @Test
  void finalModelClass() {
    expectError("[ModelClassShape] @Model class Foo must be non-final: the generated FooModel extends it",
        "final class Foo",
        MODEL,
        "public final class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void privateNestedModelClass() {
    expectError("[ModelClassShape] @Model class Inner must be non-private",
        "private static abstract class Inner",
        "public class Foo {",
        "  " + MODEL,
        "  private static abstract class Inner {",
        "    @Layer(units = 10) Dense out;",
        "  }",
        "}");
  }

  @Test
  void nonStaticInnerModelClass() {
    expectError("[ModelClassShape] @Model class Inner must be top-level or a static nested class",
        "abstract class Inner",
        "public class Foo {",
        "  " + MODEL,
        "  abstract class Inner {",
        "    @Layer(units = 10) Dense out;",
        "  }",
        "}");
  }

  @Test
  void modelClassWithoutNoArgConstructor() {
    expectError("[ModelClassShape] @Model class Foo must be constructible by FooModel: "
            + "give it a non-private no-argument constructor",
        "abstract class Foo",
        MODEL,
        "public abstract class Foo {",
        "  Foo(int seed) {}",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void modelClassWithOnlyPrivateNoArgConstructor() {
    expectError("[ModelClassShape] @Model class Foo must be constructible by FooModel",
        "abstract class Foo",
        MODEL,
        "public abstract class Foo {",
        "  private Foo() {}",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void modelOnAnInterface() {
    expectError("[ModelClassShape] @Model class Foo must be a class",
        "interface Foo",
        MODEL,
        "public interface Foo {",
        "}");
  }

  @Test
  void genericModelClass() {
    // The generated FooModel extends Foo without type arguments; before this check javac failed
    // on the generated file instead ("cannot find symbol T" in FooModel.java).
    expectError("[ModelClassShape] @Model class Foo must be non-generic: the generated FooModel extends it "
            + "without type arguments",
        "class Foo<T>",
        MODEL,
        "public abstract class Foo<T> {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void abstractMethodInModelClass() {
    expectError("[ModelAbstractMethod] @Model class Foo declares abstract method describe(); "
            + "the generated FooModel cannot implement it",
        "abstract String describe();",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "  abstract String describe();",
        "}");
  }

  @Test
  void modelWithoutLayers() {
    expectError("[NoLayers] Foo declares no @Layer fields",
        "abstract class Foo",
        MODEL,
        "public abstract class Foo {",
        "  Dense notALayer;",
        "}");
  }

  @Test
  void noLayersIsReportedAlongsideAClassShapeMistake() {
    JavaFileObject file = foo(
        MODEL,
        "public final class Foo {",
        "}");
    Compilation c = compileGeneratingNothing(file);
    assertThat(c).hadErrorContaining("[ModelClassShape] @Model class Foo must be non-final").inFile(file)
        .onLineContaining("final class Foo");
    assertThat(c).hadErrorContaining("[NoLayers] Foo declares no @Layer fields").inFile(file)
        .onLineContaining("final class Foo");
    assertThat(c).hadErrorCount(2);
  }

  @Test
  void emptyBlockIsReportedOnTheBlock() {
    JavaFileObject block = source("Empty",
        "@Block",
        "abstract class Empty {",
        "}");
    JavaFileObject model = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer Empty nothing;",
        "  @Layer(units = 10) Dense out;",
        "}");
    assertError(compileGeneratingNothing(model, block), block, "[NoLayers] Empty declares no @Layer fields",
        "abstract class Empty");
  }

  // ---------------------------------------------------------------- fields and layer kinds

  @Test
  void layerFieldOfUnknownType() {
    expectError("[UnknownLayerKind] @Layer field 'name' has type java.lang.String; a layer's type must be "
            + "Dense, ActivationLayer, Add, Concat, Dropout, Embedding, PositionalEmbedding, SinusoidalEncoding, LayerNorm"
            + " or a @Block class",
        "String name;",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "  @Layer(units = 4)",
        "  String name;",
        "}");
  }

  @Test
  void staticLayerField() {
    expectError("[StaticLayer] @Layer field 'shared' must not be static",
        "static Dense shared",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 4) static Dense shared;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void layerNamedInput() {
    expectError("[ReservedName] 'input' is reserved for the network's input; rename the field",
        "Dense input;",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 4) Dense input;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void unitsOnAdd() {
    expectError("[AttributeNotApplicable] 'units' does not apply to an Add layer 'sum'",
        "units = 4",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense a;",
        "  @Layer(units = 8) Dense b;",
        "  @Layer(from = {\"a\", \"b\"},",
        "      units = 4)",
        "  Add sum;",
        "}");
  }

  @Test
  void rateOnDense() {
    expectError("[AttributeNotApplicable] 'rate' does not apply to a Dense layer 'hidden'",
        "rate = 0.5",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8,",
        "      rate = 0.5)",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void alphaWithRelu() {
    expectError("[AttributeNotApplicable] 'alpha' does not apply to activation RELU of layer 'hidden' "
            + "(alpha is for LEAKY_RELU and ELU)",
        "alpha = 0.2",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8, activation = Activation.RELU,",
        "      alpha = 0.2)",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void temperatureWithSigmoid() {
    expectError("[AttributeNotApplicable] 'temperature' does not apply to activation SIGMOID of layer 'hidden' "
            + "(temperature is for SOFTMAX)",
        "temperature = 2.0",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8, activation = Activation.SIGMOID,",
        "      temperature = 2.0)",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void repeatOnConcat() {
    expectError("[AttributeNotApplicable] 'repeat' does not apply to a Concat layer 'cat'",
        "repeat = 2",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense a;",
        "  @Layer(units = 8) Dense b;",
        "  @Layer(from = {\"a\", \"b\"},",
        "      repeat = 2)",
        "  Concat cat;",
        "}");
  }

  @Test
  void denseWithoutUnits() {
    expectError("[MissingUnits] Dense layer 'hidden' needs units = a positive number of outputs",
        "@Layer(activation = Activation.TANH)",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(activation = Activation.TANH)",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void zeroUnits() {
    expectError("[NonPositiveSize] units of 'hidden' must be positive, was 0",
        "units = 0",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(activation = Activation.TANH,",
        "      units = 0)",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void zeroRepeat() {
    expectError("[NonPositiveSize] repeat of 'hidden' must be positive, was 0",
        "repeat = 0",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8,",
        "      repeat = 0)",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void zeroInputDimensionPointsAtTheEntry() {
    expectError("[NonPositiveSize] input dimension 1 must be positive, was 0",
        "0}), loss = Loss.MSE)",
        "@Model(input = @Shape({28,",
        "    0}), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void emptyInputShape() {
    expectError("[NonPositiveSize] the number of input dimensions must be positive, was 0",
        "input = @Shape({})",
        "@Model(loss = Loss.MSE,",
        "    input = @Shape({}))",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void zeroLearningRate() {
    expectError("[BadHyperParameter] learningRate must be positive and finite, was 0",
        "learningRate = 0",
        MODEL,
        "@Optimizer(momentum = 0.9,",
        "    learningRate = 0)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void negativeLearningRate() {
    expectError("[BadHyperParameter] learningRate must be positive and finite, was -1",
        "learningRate = -1",
        MODEL,
        "@Optimizer(momentum = 0.9,",
        "    learningRate = -1)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void momentumOfOne() {
    expectError("[BadHyperParameter] momentum must be in [0, 1), was 1",
        "momentum = 1.0",
        MODEL,
        "@Optimizer(learningRate = 0.1,",
        "    momentum = 1.0)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void dropoutRateOfOne() {
    expectError("[BadHyperParameter] dropout rate of 'drop' must be in [0, 1), was 1",
        "rate = 1.0",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer(",
        "      rate = 1.0)",
        "  Dropout drop;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void zeroSoftmaxTemperature() {
    expectError("[BadHyperParameter] temperature of 'probs' must be positive and finite, was 0",
        "temperature = 0",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 10, activation = Activation.SOFTMAX,",
        "      temperature = 0)",
        "  Dense probs;",
        "}");
  }

  @Test
  void negativeLeakyReluAlpha() {
    expectError("[BadHyperParameter] alpha of 'hidden' must be positive and finite, was -0.1",
        "alpha = -0.1",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8, activation = Activation.LEAKY_RELU,",
        "      alpha = -0.1)",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void nesterovWithoutMomentum() {
    expectError("[NesterovWithoutMomentum] Nesterov momentum needs momentum > 0; set momentum (e.g. 0.9) "
            + "or remove nesterov",
        "nesterov = true",
        MODEL,
        "@Optimizer(learningRate = 0.1,",
        "    nesterov = true)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  // ---------------------------------------------------------------- wiring

  @Test
  void misspelledFromSuggestsTheLayer() {
    expectError("[UnknownInput] 'sum' reads 'hiden2', which is not a layer of Foo; did you mean 'hidden2'?",
        "\"hiden2\"",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden1;",
        "  @Layer(units = 8) Dense hidden2;",
        "  @Layer(from = {\"hidden1\",",
        "      \"hiden2\"})",
        "  Add sum;",
        "}");
  }

  @Test
  void unrelatedFromListsTheLayers() {
    expectError("[UnknownInput] 'out' reads 'embedding', which is not a layer of Foo "
            + "(layers: input, hidden, out)",
        "\"embedding\"",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer(units = 10, from =",
        "      \"embedding\")",
        "  Dense out;",
        "}");
  }

  @Test
  void layerReadingItself() {
    expectError("[CyclicFrom] 'hidden' reads itself",
        "from = \"hidden\"",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8,",
        "      from = \"hidden\")",
        "  Dense hidden;",
        "  @Layer(units = 10) Dense out;",
        "}");
  }

  @Test
  void twoLayersReadingEachOther() {
    expectError("[CyclicFrom] 'b' reads 'a', which depends on 'b': the wiring has a cycle (a → b → a)",
        "from = \"a\")",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8, from = \"b\") Dense a;",
        "  @Layer(units = 8, from = \"a\") Dense b;",
        "  @Layer(units = 10, from = \"b\") Dense out;",
        "}");
  }

  @Test
  void cycleThroughAnImplicitEdgePointsAtTheFromEntryOnTheCycle() {
    expectError("[CyclicFrom] 'sum' reads 'c', which depends on 'sum': the wiring has a cycle (sum → c → sum)",
        "\"c\"})",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense a;",
        "  @Layer(from = {\"a\",",
        "      \"c\"})",
        "  Add sum;",
        "  @Layer(units = 8) Dense c;",
        "  @Layer(units = 10, from = \"c\") Dense out;",
        "}");
  }

  @Test
  void blockFieldReadingItselfPointsAtTheModelsFrom() {
    JavaFileObject block = source("Pair",
        "@Block",
        "abstract class Pair {",
        "  @Layer(units = 8) Dense first;",
        "  @Layer(units = 8) Dense second;",
        "}");
    JavaFileObject model = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer(",
        "      from = \"pair\")",
        "  Pair pair;",
        "  @Layer(units = 10) Dense out;",
        "}");
    assertError(compileGeneratingNothing(model, block), model,
        "[CyclicFrom] 'pair.first' reads 'pair.second', which depends on 'pair.first'", "from = \"pair\"");
  }

  @Test
  void addWithOneInput() {
    expectError("[MergeArity] Add layer 'sum' merges two or more inputs; 'from' names 1",
        "from = \"hidden\"",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer(",
        "      from = \"hidden\")",
        "  Add sum;",
        "}");
  }

  @Test
  void concatWithoutFrom() {
    expectError("[MergeArity] Concat layer 'cat' merges two or more inputs; 'from' names 0",
        "Concat cat;",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer Concat cat;",
        "}");
  }

  @Test
  void denseWithTwoInputs() {
    expectError("[TooManyInputs] Dense layer 'out' reads one input; 'from' names 2",
        "\"b\"})",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense a;",
        "  @Layer(units = 8, from = \"input\") Dense b;",
        "  @Layer(units = 10, from = {\"a\",",
        "      \"b\"})",
        "  Dense out;",
        "}");
  }

  @Test
  void blockContainingItself() {
    JavaFileObject block = source("Loop",
        "@Block",
        "abstract class Loop {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer Loop again;",
        "}");
    JavaFileObject model = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer Loop loop;",
        "  @Layer(units = 10) Dense out;",
        "}");
    assertError(compileGeneratingNothing(model, block), block, "[RecursiveBlock] block Loop contains itself through 'again'",
        "Loop again;");
  }

  @Test
  void unusedLayerIsAWarningAndTheModelIsStillGenerated() {
    JavaFileObject file = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer(units = 8, from = \"input\") Dense side;",
        "  @Layer(units = 10, from = \"hidden\") Dense out;",
        "}");
    Compilation c = compile(file);
    assertThat(c).succeeded();
    assertThat(c).hadWarningContaining("[UnusedLayer] 'side' does not reach the output 'out'; "
            + "it is computed but never used")
        .inFile(file).onLineContaining("Dense side;");
    assertThat(c).generatedSourceFile("test.FooModel");
  }

  // ---------------------------------------------------------------- shapes and the loss

  @Test
  void addOfDifferentWidths() {
    expectError("[ShapeMismatch] 'sum' adds 'wide' (16) and 'narrow' (10); widths differ",
        "\"narrow\"})",
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 16) Dense wide;",
        "  @Layer(units = 10, from = \"input\") Dense narrow;",
        "  @Layer(from = {\"wide\",",
        "      \"narrow\"})",
        "  Add sum;",
        "}");
  }

  @Test
  void addOfTheInputAndADenseOfAnotherWidth() {
    expectError("[ShapeMismatch] 'sum' adds 'input' (4, 16) and 'proj' (4, 10); widths differ",
        "\"proj\"})",
        "@Model(input = @Shape({4, 16}), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Layer(units = 10) Dense proj;",
        "  @Layer(from = {\"input\",",
        "      \"proj\"})",
        "  Add sum;",
        "}");
  }

  @Test
  void softmaxActivationBeforeSoftmaxCrossEntropy() {
    expectError("[LossOutput] loss SOFTMAX_CROSS_ENTROPY applies the softmax itself; the output layer 'probs' "
            + "must produce logits (no activation), it has SOFTMAX",
        "activation = Activation.SOFTMAX",
        "@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)",
        "public abstract class Foo {",
        "  @Layer(units = 16) Dense hidden;",
        "  @Layer(units = 10,",
        "      activation = Activation.SOFTMAX)",
        "  Dense probs;",
        "}");
  }

  @Test
  void singleOutputWithSoftmaxCrossEntropy() {
    expectError("[LossOutput] loss SOFTMAX_CROSS_ENTROPY needs an output of two or more classes per example (or per"
            + " position of a sequence); 'score' has shape (1)",
        "@Layer(units = 1)",
        "@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)",
        "public abstract class Foo {",
        "  @Layer(units = 16) Dense hidden;",
        "  @Layer(units = 1)",
        "  Dense score;",
        "}");
  }

  // ---------------------------------------------------------------- blocks, several mistakes

  @Test
  void mistakeInsideABlockIsReportedInTheBlocksFile() {
    JavaFileObject block = source("Residual",
        "@Block",
        "abstract class Residual {",
        "  @Layer(units = 8,",
        "      repeat = 0)",
        "  Dense up;",
        "}");
    JavaFileObject model = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer(repeat = 3) Residual blocks;",
        "  @Layer(units = 10) Dense out;",
        "}");
    assertError(compileGeneratingNothing(model, block), block, "[NonPositiveSize] repeat of 'up' must be positive, was 0",
        "repeat = 0");
  }

  @Test
  void unknownInputInsideABlockNamesTheBlock() {
    JavaFileObject block = source("Residual",
        "@Block",
        "abstract class Residual {",
        "  @Layer(units = 8) Dense up;",
        "  @Layer(from = {\"input\",",
        "      \"upp\"})",
        "  Add sum;",
        "}");
    JavaFileObject model = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer(repeat = 2) Residual blocks;",
        "  @Layer(units = 10) Dense out;",
        "}");
    Compilation c = compileGeneratingNothing(model, block);
    assertError(c, block, "[UnknownInput] 'sum' reads 'upp', which is not a layer of block Residual; "
        + "did you mean 'up'?", "\"upp\"");
    // The block is expanded twice; the identical finding is reported once.
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void shapeMismatchInsideABlockPointsAtTheBlocksFrom() {
    JavaFileObject block = source("Residual",
        "@Block",
        "abstract class Residual {",
        "  @Layer(units = 4) Dense down;",
        "  @Layer(from = {\"input\",",
        "      \"down\"})",
        "  Add sum;",
        "}");
    JavaFileObject model = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer Residual block;",
        "  @Layer(units = 10) Dense out;",
        "}");
    assertError(compileGeneratingNothing(model, block), block,
        "[ShapeMismatch] 'block.sum' adds 'hidden' (8) and 'block.down' (4); widths differ", "\"down\"})");
  }

  @Test
  void unknownInputOfABlockFieldPointsAtTheModel() {
    JavaFileObject block = source("Residual",
        "@Block",
        "abstract class Residual {",
        "  @Layer(units = 8) Dense up;",
        "}");
    JavaFileObject model = foo(
        MODEL,
        "public abstract class Foo {",
        "  @Layer(units = 8) Dense hidden;",
        "  @Layer(from =",
        "      \"hiden\")",
        "  Residual block;",
        "  @Layer(units = 10) Dense out;",
        "}");
    assertError(compileGeneratingNothing(model, block), model,
        "[UnknownInput] 'block' reads 'hiden', which is not a layer of Foo; did you mean 'hidden'?", "\"hiden\"");
  }

  @Test
  void severalMistakesAreAllReportedInOneCompilation() {
    JavaFileObject file = foo(
        MODEL,
        "@Optimizer(",
        "    learningRate = 0)",
        "public abstract class Foo {",
        "  @Layer(",
        "      units = 0)",
        "  Dense hidden;",
        "  @Layer(units = 8,",
        "      rate = 0.5)",
        "  Dense second;",
        "  @Layer(units = 4) String name;",
        "  @Layer(units = 10) Dense out;",
        "}");
    Compilation c = compileGeneratingNothing(file);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[BadHyperParameter] learningRate").inFile(file)
        .onLineContaining("learningRate = 0");
    assertThat(c).hadErrorContaining("[NonPositiveSize] units of 'hidden'").inFile(file)
        .onLineContaining("units = 0");
    assertThat(c).hadErrorContaining("[AttributeNotApplicable] 'rate'").inFile(file)
        .onLineContaining("rate = 0.5");
    assertThat(c).hadErrorContaining("[UnknownLayerKind] @Layer field 'name'").inFile(file)
        .onLineContaining("String name;");
    assertThat(c).hadErrorCount(4);
  }
}
