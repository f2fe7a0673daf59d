package dev.nabla.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The processor never crashes javac: an unexpected exception while processing a model becomes an
 * {@code [InternalError]} on that class, with the stack trace, and the other models are still
 * processed. No valid or invalid declaration is known to throw, so the failure is forced through
 * the processor's test-only option {@code -Anabla.processor.failForTesting=<class>}.
 */
class InternalErrorTest {

  private static JavaFileObject model(String name) {
    return JavaFileObjects.forSourceLines("test." + name,
        "package test;",
        "",
        "import dev.nabla.dsl.*;",
        "",
        "@Model(input = @Shape(4), loss = Loss.MSE)",
        "public abstract class " + name + " {",
        "  @Layer(units = 2) Dense out;",
        "}");
  }

  private static Compilation compileFailing(RecordingProcessor processor, String failing, JavaFileObject... files) {
    return Compiler.javac().withProcessors(processor)
        .withOptions("-A" + NablaProcessor.FAIL_FOR_TESTING + "=" + failing)
        .compile(files);
  }

  @Test
  void unexpectedExceptionBecomesAnErrorOnTheClass() {
    JavaFileObject foo = model("Foo");
    Compilation c = compileFailing(new RecordingProcessor(), "test.Foo", foo);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[InternalError] the Nabla processor failed on test.Foo; "
            + "please report this with the stack trace:")
        .inFile(foo).onLineContaining("public abstract class Foo");
    assertThat(c).hadErrorContaining("java.lang.IllegalStateException: failure forced by -A"
        + NablaProcessor.FAIL_FOR_TESTING);
    assertThat(c).hadErrorCount(1);
  }

  @Test
  void otherModelsAreStillGenerated() {
    RecordingProcessor processor = new RecordingProcessor();
    JavaFileObject foo = model("Foo");
    Compilation c = compileFailing(processor, "test.Foo", foo, model("Bar"));
    assertThat(c).hadErrorContaining("[InternalError]").inFile(foo).onLineContaining("class Foo");
    assertThat(processor.generatedSources()).containsExactly("test.BarModel");
  }

  @Test
  void withoutTheOptionTheSameModelCompiles() {
    Compilation c = Compiler.javac().withProcessors(new NablaProcessor()).compile(model("Foo"));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("test.FooModel");
  }
}
