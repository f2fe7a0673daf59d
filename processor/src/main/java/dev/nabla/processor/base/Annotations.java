package dev.nabla.processor.base;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Reads annotation mirrors. The processor never loads the annotation classes themselves (values
 * that name generated or erroneous types would fail), it reads mirrors, and keeps each value's
 * {@link AnnotationValue} so findings can point at it.
 */
public final class Annotations {
  private Annotations() {}

  public static Optional<AnnotationMirror> find(Element element, String qualifiedName) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) m.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(qualifiedName)) return Optional.of(m);
    }
    return Optional.empty();
  }

  /** The value written in source, or empty when the attribute is left at its default. */
  public static Optional<AnnotationValue> explicit(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e :
        mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) return Optional.of(e.getValue());
    }
    return Optional.empty();
  }

  /** The value written in source, or the attribute's declared default. */
  public static AnnotationValue value(AnnotationMirror mirror, String attribute) {
    return explicit(mirror, attribute).orElseGet(() -> defaultValue(mirror, attribute));
  }

  private static AnnotationValue defaultValue(AnnotationMirror mirror, String attribute) {
    for (Element e : mirror.getAnnotationType().asElement().getEnclosedElements()) {
      if (e instanceof ExecutableElement method && method.getSimpleName().contentEquals(attribute)) {
        return method.getDefaultValue();
      }
    }
    throw new IllegalArgumentException("@" + mirror.getAnnotationType() + " has no attribute " + attribute);
  }

  @SuppressWarnings("unchecked")
  public static List<? extends AnnotationValue> list(AnnotationValue value) {
    Object v = value.getValue();
    return v instanceof List<?> l ? (List<? extends AnnotationValue>) l : List.of(value);
  }

  /** The simple name of an enum constant value. */
  public static String enumName(AnnotationValue value) {
    return ((Element) value.getValue()).getSimpleName().toString();
  }
}
