package dev.nabla.processor.validation;

import dev.nabla.processor.base.Location;

/**
 * One input of a model: the {@code @Model(input)} (named "input") or an {@code @Input} field. A
 * token input has {@code vocab > 0} and one dimension, the sequence length.
 */
public record InputDecl(String name, int[] dims, int vocab, Location location) {
  public InputDecl {
    dims = dims.clone();
  }

  @Override
  public int[] dims() {
    return dims.clone();
  }

  public boolean tokens() {
    return vocab > 0;
  }
}
