package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A static shape, without the batch dimension: {@code @Shape(784)} is a vector of 784 features;
 * {@code @Shape(value = 64, vocab = 65)} is a sequence of 64 token ids in [0, 65), passed to the
 * model as whole numbers in its float input.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Shape {
  /** The dimensions, outermost first; each must be positive. */
  int[] value();

  /**
   * For a token input: the number of distinct token ids. 0 (the default) means features. A token
   * input has one dimension, the sequence length, and only an {@link Embedding} may read it.
   */
  int vocab() default 0;
}
