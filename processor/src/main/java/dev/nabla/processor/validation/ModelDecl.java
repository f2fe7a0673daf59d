package dev.nabla.processor.validation;

import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/** A validated {@code @Model} class: everything the graph stage needs, with source locations. */
public record ModelDecl(
    TypeElement type,
    AnnotationMirror mirror,
    int[] inputDims,
    String loss,
    double labelSmoothing,
    List<String> precisions,
    OptimizerDecl optimizer,
    NetworkDecl body) {

  public ModelDecl {
    inputDims = inputDims.clone();
    precisions = List.copyOf(precisions);
  }

  @Override
  public int[] inputDims() {
    return inputDims.clone();
  }
}
