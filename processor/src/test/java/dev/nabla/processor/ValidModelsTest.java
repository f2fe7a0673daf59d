package dev.nabla.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Valid declarations of every layer kind and wiring compile without errors or warnings and
 * generate their model classes, reproducibly.
 */
class ValidModelsTest {

  private static final String[] HEADER = {"package test;", "", "import dev.nabla.dsl.*;", ""};

  static JavaFileObject source(String name, String... lines) {
    List<String> all = new ArrayList<>(List.of(HEADER));
    all.addAll(List.of(lines));
    return JavaFileObjects.forSourceLines("test." + name, all);
  }

  static Compilation compile(JavaFileObject... files) {
    return Compiler.javac().withProcessors(new NablaProcessor()).compile(files);
  }

  /** Compiles {@code test.Foo}, asserts a clean compilation and returns the generated {@code FooModel} source. */
  static String compileCleanly(String... lines) {
    return generated(compileCleanly(source("Foo", lines)), "test.FooModel");
  }

  static Compilation compileCleanly(JavaFileObject... files) {
    Compilation c = compile(files);
    assertThat(c).succeededWithoutWarnings();
    return c;
  }

  static String generated(Compilation c, String qualifiedName) {
    assertThat(c).generatedSourceFile(qualifiedName);
    try {
      return c.generatedSourceFile(qualifiedName).orElseThrow().getCharContent(true).toString();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void plainMlpInBothPrecisions() {
    Compilation c = compileCleanly(source("Foo",
        "@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY,",
        "    precision = {Precision.F32, Precision.F64})",
        "@Optimizer(learningRate = 0.1, momentum = 0.9, nesterov = true)",
        "public abstract class Foo {",
        "  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;",
        "  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;",
        "  @Layer(units = 10) Dense logits;",
        "}"));
    assertThat(generated(c, "test.FooModel")).contains("public final class FooModel extends Foo");
    assertThat(generated(c, "test.FooModelF64")).contains("public final class FooModelF64 extends Foo");
  }

  @Test
  void residualAddWithFrom() {
    String code = compileCleanly(
        "@Model(input = @Shape(32), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Layer(units = 16, activation = Activation.RELU) Dense stem;",
        "  @Layer(units = 16, activation = Activation.LEAKY_RELU, alpha = 0.1) Dense branch;",
        "  @Layer(from = {\"stem\", \"branch\"}, activation = Activation.RELU) Add residual;",
        "  @Layer(units = 4) Dense out;",
        "}");
    assertThat(code).contains("residual");
  }

  @Test
  void concatOfTwoBranches() {
    String code = compileCleanly(
        "@Model(input = @Shape(32), loss = Loss.SOFTMAX_CROSS_ENTROPY)",
        "public abstract class Foo {",
        "  @Layer(units = 8, activation = Activation.TANH) Dense left;",
        "  @Layer(units = 12, activation = Activation.GELU, from = \"input\") Dense right;",
        "  @Layer(from = {\"left\", \"right\"}) Concat both;",
        "  @Layer(units = 3) Dense out;",
        "}");
    assertThat(code).contains("both");
  }

  @Test
  void dropoutAndActivationLayers() {
    String code = compileCleanly(
        "@Model(input = @Shape(20), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Layer(units = 16) Dense hidden;",
        "  @Layer(activation = Activation.ELU, alpha = 0.5) ActivationLayer act;",
        "  @Layer(rate = 0.25) Dropout drop;",
        "  @Layer(units = 8, activation = Activation.SOFTMAX, temperature = 2.0) Dense out;",
        "}");
    assertThat(code).contains("drop");
    assertThat(code).contains("act");
  }

  @Test
  void blockRepeatedThreeTimes() {
    JavaFileObject block = source("Residual",
        "@Block",
        "abstract class Residual {",
        "  @Layer(units = 8, activation = Activation.RELU) Dense up;",
        "  @Layer(units = 16) Dense down;",
        "  @Layer(from = {\"input\", \"down\"}) Add sum;",
        "}");
    JavaFileObject model = source("Foo",
        "@Model(input = @Shape(16), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Layer(repeat = 3) Residual blocks;",
        "  @Layer(units = 2) Dense out;",
        "}");
    String code = generated(compileCleanly(model, block), "test.FooModel");
    assertThat(code).contains("blocks.0.up");
    assertThat(code).contains("blocks.2.sum");
  }

  @Test
  void nestedStaticModelClassJoinsTheOuterName() {
    Compilation c = compileCleanly(source("Outer",
        "public class Outer {",
        "  @Model(input = @Shape(4), loss = Loss.MSE)",
        "  public abstract static class Inner {",
        "    @Layer(units = 2) Dense out;",
        "  }",
        "}"));
    assertThat(generated(c, "test.Outer_InnerModel")).contains("class Outer_InnerModel extends Outer.Inner");
  }

  @Test
  void forwardReferencesInFrom() {
    String code = compileCleanly(
        "@Model(input = @Shape(10), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Layer(units = 6, from = \"late\") Dense early;",
        "  @Layer(units = 4, from = \"input\") Dense late;",
        "  @Layer(units = 3, from = \"early\") Dense out;",
        "}");
    assertThat(code).contains("early");
  }

  private static final String[] DIGITS = {
    "@Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)",
    "public abstract class Foo {",
    "  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden1;",
    "  @Layer(units = 16, activation = Activation.SIGMOID) Dense hidden2;",
    "  @Layer(units = 10) Dense logits;",
    "}",
  };

  @Test
  void generatedSourceIsMarkedAndDocumentedWithoutTimestamp() {
    String code = compileCleanly(DIGITS);
    assertThat(code).contains("@Generated(\"dev.nabla.processor.NablaProcessor\")");
    assertThat(code).doesNotContain("date =");
    assertThat(code).doesNotContainMatch("\\d{4}-\\d{2}-\\d{2}");
    assertThat(code).containsMatch("layer.*kind.*output.*params.*FLOPs/example");
  }

  @Test
  void runningTwiceGivesByteIdenticalOutput() {
    String first = compileCleanly(DIGITS);
    String second = compileCleanly(DIGITS);
    assertThat(second).isEqualTo(first);
  }
}
