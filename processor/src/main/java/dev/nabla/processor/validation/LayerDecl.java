package dev.nabla.processor.validation;

import dev.nabla.processor.base.Annotations;
import dev.nabla.processor.base.Location;
import java.util.List;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.VariableElement;

/**
 * One validated {@code @Layer} or {@code @Attention} field. {@code block} is the declaration of the block class when the
 * field's type is one, else null.
 */
public record LayerDecl(
    String name,
    LayerKind kind,
    VariableElement field,
    AnnotationMirror mirror,
    int units,
    boolean bias,
    String activation,
    double alpha,
    double temperature,
    String init,
    double rate,
    List<String> from,
    int repeat,
    NetworkDecl block,
    int context,
    int heads,
    boolean causal,
    String memory) {

  public LayerDecl {
    from = List.copyOf(from);
  }

  public Location location() {
    return Location.of(field, mirror);
  }

  /** The attribute's value if written in source, else the annotation. */
  public Location attribute(String name) {
    return Location.of(field, mirror, Annotations.explicit(mirror, name).orElse(null));
  }

  /**
   * Entry i of {@code from}, or the annotation when {@code from} was not written. Input 1 of a
   * cross-attention is its {@code memory}.
   */
  public Location fromEntry(int i) {
    if (kind == LayerKind.CROSS_ATTENTION && i == 1) return attribute("memory");
    if (kind.isAttention()) return attribute("from");
    return Annotations.explicit(mirror, "from")
        .map(v -> {
          List<? extends AnnotationValue> entries = Annotations.list(v);
          return Location.of(field, mirror, i < entries.size() ? entries.get(i) : v);
        })
        .orElse(location());
  }
}
