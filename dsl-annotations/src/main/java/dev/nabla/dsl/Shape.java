package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A static shape, without the batch dimension: {@code @Shape(784)} is a vector of 784 features. */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Shape {
  /** The dimensions, outermost first; each must be positive. */
  int[] value();
}
