package dev.nabla.processor.base;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Where a finding points: the element, and when known the annotation and the one value inside it
 * (javac then underlines that value, or that entry of an array value).
 */
public record Location(Element element, AnnotationMirror annotation, AnnotationValue value) {

  public static Location of(Element element) {
    return new Location(element, null, null);
  }

  public static Location of(Element element, AnnotationMirror annotation) {
    return new Location(element, annotation, null);
  }

  /** Points at a value when there is one, else at the annotation, else at the element. */
  public static Location of(Element element, AnnotationMirror annotation, AnnotationValue value) {
    return new Location(element, annotation, value);
  }

  void print(Messager messager, Diagnostic.Kind kind, String text) {
    if (annotation != null && value != null) {
      messager.printMessage(kind, text, element, annotation, value);
    } else if (annotation != null) {
      messager.printMessage(kind, text, element, annotation);
    } else {
      messager.printMessage(kind, text, element);
    }
  }

  /** This location pointing at {@code v}, a value inside its annotation. */
  public Location withValue(AnnotationValue v) {
    return new Location(element, annotation, v);
  }
}
