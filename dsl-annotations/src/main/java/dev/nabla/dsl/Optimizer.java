package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The optimiser the generated {@code trainStep} applies, fused into one pass over the parameters.
 * Without this annotation a model uses plain SGD with learning rate 0.01.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Optimizer {
  OptimizerType type() default OptimizerType.SGD;

  /** Must be positive and finite. */
  double learningRate() default 0.01;

  /** Momentum coefficient in [0, 1); 0 means none. SGD only. */
  double momentum() default 0.0;

  /** Nesterov's look-ahead momentum; needs a positive {@link #momentum()}. SGD only. */
  boolean nesterov() default false;

  /** Adam's decay of the first moment, in [0, 1). */
  double beta1() default 0.9;

  /** Adam's decay of the second moment, in [0, 1). */
  double beta2() default 0.999;

  /** Adam's ε, added to the root of the second moment; positive. */
  double epsilon() default 1e-8;
}
