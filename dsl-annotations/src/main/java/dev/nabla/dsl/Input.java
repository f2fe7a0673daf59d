package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A further input of a {@link Model}, beside {@link Model#input()}, on a field of type {@link
 * Tokens}: {@code @Input(@Shape(value = 9, vocab = 12)) Tokens target;}. Layers read it by the
 * field's name in {@link Layer#from()}. Further inputs are token sequences, and a model with one
 * has only token inputs; an example is laid out as its inputs one after another, the model's input
 * first, then these in declaration order.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Input {
  /** The shape of this input; its {@link Shape#vocab()} must be set. */
  Shape value();
}
