package dev.nabla.processor.validation;

import java.util.List;
import javax.lang.model.element.TypeElement;

/** The layers of a model or block class, in declaration order. */
public record NetworkDecl(TypeElement type, List<LayerDecl> layers) {
  public NetworkDecl {
    layers = List.copyOf(layers);
  }

  public String simpleName() {
    return type.getSimpleName().toString();
  }
}
