package dev.nabla.processor.graph;

import dev.nabla.processor.base.Location;
import dev.nabla.processor.validation.LayerDecl;

/**
 * The declaration a node came from, so later stages can point their findings at the annotation
 * value that caused them. Nodes of a repeated layer or of a block instance share their origin.
 */
public record Origin(LayerDecl decl) {

  public Location annotation() {
    return decl.location();
  }

  public Location attribute(String name) {
    return decl.attribute(name);
  }

  /** The i-th entry of {@code from}, or the annotation when the wiring was implicit. */
  public Location fromEntry(int i) {
    return decl.fromEntry(i);
  }
}
