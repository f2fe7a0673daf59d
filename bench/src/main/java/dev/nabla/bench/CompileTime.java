package dev.nabla.bench;

import dev.nabla.processor.NablaProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * How long the annotation processor takes: javac runs in this JVM on a model's sources, and a
 * wrapper around {@link NablaProcessor} adds up the wall time of its {@code init} and {@code
 * process} calls (javac's own parsing and attribution are not counted). Prints one JSON line per
 * model with the first (cold: class loading, interpreted processor) and the median warm time.
 *
 * <p>Models: the largest sample, WideDigitNet (read from samples/), and a deep residual MLP of 12
 * repeated blocks. Options: {@code --models wide,deep} (default both; the cold figure is only cold
 * for the first model of a JVM, so {@link Compare} runs one JVM per model), {@code --compiles N}
 * timed compilations after 2 warm-ups (default 10).
 */
public final class CompileTime {

  private static final String DEEP_BLOCK = """
      package dev.nabla.bench.deep;

      import dev.nabla.dsl.*;

      /** Pre-activation residual MLP block: 128 → 256 GELU → 128, plus the input. */
      @Block
      public abstract class ResidualMlp {
        @Layer(units = 256, activation = Activation.GELU) Dense up;
        @Layer(units = 128) Dense down;
        @Layer(from = {"input", "down"}) Add sum;
      }
      """;

  private static final String DEEP_MODEL = """
      package dev.nabla.bench.deep;

      import dev.nabla.dsl.*;

      /** A 784 → 128 stem, 12 residual blocks, a 10-class head. */
      @Model(input = @Shape(784), loss = Loss.SOFTMAX_CROSS_ENTROPY)
      @Optimizer(type = OptimizerType.ADAM, learningRate = 1e-3)
      public abstract class DeepResidualNet {
        @Layer(units = 128, activation = Activation.RELU) Dense stem;
        @Layer(repeat = 12) ResidualMlp blocks;
        @Layer(units = 10) Dense head;
      }
      """;

  private CompileTime() {}

  public static void main(String[] args) throws IOException {
    Args a = Args.parse(args);
    int compiles = a.integer("compiles", 10);
    for (String model : a.list("models", "wide,deep")) {
      switch (model) {
        case "wide" -> {
          Path file = Repo.root().resolve("samples/src/main/java/dev/nabla/samples/WideDigitNet.java");
          measure("WideDigitNet", List.of(source("dev/nabla/samples/WideDigitNet", Files.readString(file))),
              compiles);
        }
        case "deep" -> measure("DeepResidualNet_12_blocks", List.of(
            source("dev/nabla/bench/deep/ResidualMlp", DEEP_BLOCK),
            source("dev/nabla/bench/deep/DeepResidualNet", DEEP_MODEL)), compiles);
        default -> throw new IllegalArgumentException("unknown model '" + model + "': wide or deep");
      }
    }
  }

  static void measure(String model, List<JavaFileObject> sources, int compiles) throws IOException {
    int warmups = 2;
    double[] ms = new double[warmups + compiles];
    for (int i = 0; i < ms.length; i++) ms[i] = compile(sources) / 1e6;
    double[] timed = Arrays.copyOfRange(ms, warmups, ms.length);
    Arrays.sort(timed);
    double median = timed.length % 2 == 1 ? timed[timed.length / 2]
        : (timed[timed.length / 2 - 1] + timed[timed.length / 2]) / 2;
    System.out.println(Json.object("framework", "nabla", "model", model,
        "processor_ms_median", Json.round(median, 2), "processor_ms_cold", Json.round(ms[0], 2),
        "compiles", compiles));
  }

  /** Compiles the sources (annotation processing only) and returns the processor's nanoseconds. */
  static long compile(List<JavaFileObject> sources) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Path out = Files.createTempDirectory("nabla-compile-time");
    try {
      TimedProcessor timed = new TimedProcessor(new NablaProcessor());
      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      // -proc:only: the generated model is written, not compiled; its compile time is javac's, not ours.
      List<String> options = List.of("-proc:only", "-classpath", System.getProperty("java.class.path"),
          "-s", out.toString(), "-d", out.toString());
      JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics, options, null, sources);
      task.setProcessors(List.of(timed));
      boolean ok = task.call();
      List<String> errors = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() == Diagnostic.Kind.ERROR) errors.add(d.toString());
      }
      if (!ok || !errors.isEmpty()) throw new IllegalStateException("compilation failed: " + errors);
      try (var files = Files.walk(out)) {
        if (files.noneMatch(p -> p.toString().endsWith("Model.java"))) {
          throw new IllegalStateException("the processor generated no model");
        }
      }
      return timed.nanos;
    } finally {
      try (var files = Files.walk(out)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      } catch (UncheckedIOException ignored) {
        // a leftover temp directory is harmless
      }
    }
  }

  static JavaFileObject source(String path, String text) {
    return new SimpleJavaFileObject(URI.create("string:///" + path + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return text;
      }
    };
  }

  /** Delegates to a processor and sums the wall time of its init and process calls. */
  static final class TimedProcessor implements Processor {
    private final Processor delegate;
    long nanos;

    TimedProcessor(Processor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void init(ProcessingEnvironment env) {
      long t = System.nanoTime();
      delegate.init(env);
      nanos += System.nanoTime() - t;
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      long t = System.nanoTime();
      try {
        return delegate.process(annotations, round);
      } finally {
        nanos += System.nanoTime() - t;
      }
    }

    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
        ExecutableElement member, String userText) {
      return delegate.getCompletions(element, annotation, member, userText);
    }
  }
}
