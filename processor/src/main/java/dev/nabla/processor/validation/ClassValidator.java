package dev.nabla.processor.validation;

import dev.nabla.processor.base.Location;
import dev.nabla.processor.base.Message;
import dev.nabla.processor.base.Report;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.ElementFilter;

/** Checks that the generated {@code <Name>Model} can extend the user's {@code @Model} class. */
final class ClassValidator {
  private ClassValidator() {}

  static void validateModelClass(TypeElement type, String generatedName, Report report) {
    Location at = Location.of(type);
    String name = type.getSimpleName().toString();
    if (type.getKind() != ElementKind.CLASS) {
      report.error(Message.MODEL_CLASS_SHAPE, at, "Model", name, "a class");
      return;
    }
    if (type.getModifiers().contains(Modifier.FINAL)) {
      report.error(Message.MODEL_CLASS_SHAPE, at, "Model", name,
          "non-final: the generated " + generatedName + " extends it");
    }
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      report.error(Message.MODEL_CLASS_SHAPE, at, "Model", name, "non-private");
    }
    if (!type.getTypeParameters().isEmpty()) {
      report.error(Message.MODEL_CLASS_SHAPE, at, "Model", name,
          "non-generic: the generated " + generatedName + " extends it without type arguments");
    }
    if (type.getNestingKind() != NestingKind.TOP_LEVEL
        && (type.getNestingKind() != NestingKind.MEMBER || !type.getModifiers().contains(Modifier.STATIC))) {
      report.error(Message.MODEL_CLASS_SHAPE, at, "Model", name, "top-level or a static nested class");
    }
    if (!hasAccessibleNoArgConstructor(type)) {
      report.error(Message.MODEL_CLASS_SHAPE, at, "Model", name,
          "constructible by " + generatedName + ": give it a non-private no-argument constructor");
    }
    for (ExecutableElement method : ElementFilter.methodsIn(type.getEnclosedElements())) {
      if (method.getModifiers().contains(Modifier.ABSTRACT)) {
        report.error(Message.MODEL_ABSTRACT_METHOD, Location.of(method), name,
            method.getSimpleName(), generatedName);
      }
    }
  }

  private static boolean hasAccessibleNoArgConstructor(TypeElement type) {
    for (Element e : type.getEnclosedElements()) {
      if (e instanceof ExecutableElement c && e.getKind() == ElementKind.CONSTRUCTOR
          && c.getParameters().isEmpty() && !c.getModifiers().contains(Modifier.PRIVATE)) {
        return true;
      }
    }
    return false;
  }
}
