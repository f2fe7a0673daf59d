package dev.nabla.processor.validation;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/** A validated {@code @Model} class: everything the graph stage needs, with source locations. */
public record ModelDecl(
    TypeElement type,
    AnnotationMirror mirror,
    List<InputDecl> inputs,
    String loss,
    double labelSmoothing,
    List<String> precisions,
    OptimizerDecl optimizer,
    NetworkDecl body) {

  public ModelDecl {
    inputs = List.copyOf(inputs);
    precisions = List.copyOf(precisions);
  }

  /** The model's own input, {@code @Model(input)}: the first of {@link #inputs()}. */
  public InputDecl input() {
    return inputs.get(0);
  }
}
