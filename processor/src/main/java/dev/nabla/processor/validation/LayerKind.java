package dev.nabla.processor.validation;

import java.util.Set;

/** The layer kinds a {@code @Layer} field's type can name, and the attributes each one uses. */
public enum LayerKind {
  DENSE("Dense", Set.of("units", "bias", "activation", "alpha", "temperature", "init", "from", "repeat")),
  ACTIVATION("ActivationLayer", Set.of("activation", "alpha", "temperature", "from", "repeat")),
  ADD("Add", Set.of("activation", "alpha", "temperature", "from")),
  CONCAT("Concat", Set.of("from")),
  DROPOUT("Dropout", Set.of("rate", "from", "repeat")),
  EMBEDDING("Embedding", Set.of("units", "init", "from")),
  POSITIONAL("PositionalEmbedding", Set.of("context", "from")),
  SINUSOIDAL("SinusoidalEncoding", Set.of("context", "from")),
  LAYER_NORM("LayerNorm", Set.of("from", "repeat")),
  SELF_ATTENTION("SelfAttention", Set.of("heads", "causal", "from", "repeat")),
  CROSS_ATTENTION("CrossAttention", Set.of("heads", "causal", "memory", "from", "repeat")),
  BLOCK("block", Set.of("from", "repeat"));

  static final String DSL_PACKAGE = "dev.nabla.dsl";

  private final String typeName;
  private final Set<String> attributes;

  LayerKind(String typeName, Set<String> attributes) {
    this.typeName = typeName;
    this.attributes = attributes;
  }

  /** The DSL type's simple name ({@code Dense}). */
  public String typeName() {
    return typeName;
  }

  public boolean uses(String attribute) {
    return attributes.contains(attribute);
  }

  /** Whether fields of this kind carry {@code @Attention} rather than {@code @Layer}. */
  public boolean isAttention() {
    return this == SELF_ATTENTION || this == CROSS_ATTENTION;
  }

  public boolean isMerge() {
    return this == ADD || this == CONCAT;
  }

  /** The kind named by a DSL type, or null. */
  static LayerKind ofDslType(String qualifiedName) {
    for (LayerKind k : values()) {
      if (k != BLOCK && qualifiedName.equals(DSL_PACKAGE + "." + k.typeName)) return k;
    }
    return null;
  }
}
