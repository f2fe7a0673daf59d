package dev.nabla.processor;

import com.google.auto.service.AutoService;
import dev.nabla.processor.base.Location;
import dev.nabla.processor.base.Message;
import dev.nabla.processor.validation.DeclarationReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;

/**
 * The entry point: finds {@code @Model} classes and hands each to {@link ModelStep}. A class whose
 * layer types are not generated yet (another processor's output) waits for a later round; any
 * unexpected exception becomes an error on the class, never a javac crash.
 */
@AutoService(Processor.class)
public final class NablaProcessor extends AbstractProcessor {
  /**
   * Test seam: {@code -Anabla.processor.failForTesting=<qualified class name>} makes processing of
   * that {@code @Model} class throw, so tests can check that an unexpected exception becomes an
   * {@code [InternalError]} on the class instead of crashing javac. Never set it in a real build.
   */
  static final String FAIL_FOR_TESTING = "nabla.processor.failForTesting";

  private final Set<String> deferred = new LinkedHashSet<>();

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(DeclarationReader.MODEL);
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(FAIL_FOR_TESTING);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    Set<TypeElement> todo = new LinkedHashSet<>();
    for (String name : deferred) {
      TypeElement t = processingEnv.getElementUtils().getTypeElement(name);
      if (t != null) todo.add(t);
    }
    deferred.clear();
    TypeElement model = processingEnv.getElementUtils().getTypeElement(DeclarationReader.MODEL);
    if (model != null) {
      for (Element e : round.getElementsAnnotatedWith(model)) {
        if (e.getKind() == ElementKind.CLASS || e.getKind().isInterface() || e.getKind() == ElementKind.ENUM
            || e.getKind() == ElementKind.RECORD) {
          todo.add((TypeElement) e);
        }
      }
    }
    ModelStep step = new ModelStep(processingEnv.getFiler(), processingEnv.getMessager(),
        processingEnv.getElementUtils());
    for (TypeElement type : todo) {
      if (!round.processingOver() && waitsForGeneratedTypes(type)) {
        deferred.add(type.getQualifiedName().toString());
        continue;
      }
      try {
        if (type.getQualifiedName().contentEquals(processingEnv.getOptions().getOrDefault(FAIL_FOR_TESTING, ""))) {
          throw new IllegalStateException("failure forced by -A" + FAIL_FOR_TESTING);
        }
        step.process(type);
      } catch (Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
            Message.INTERNAL_ERROR.format(type.getQualifiedName(), trace), type);
      }
    }
    return false;
  }

  private static boolean waitsForGeneratedTypes(TypeElement type) {
    for (var field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
      if (field.asType().getKind() == TypeKind.ERROR) return true;
    }
    return false;
  }
}
