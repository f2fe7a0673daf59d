package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A learning-rate schedule, used as {@code @Optimizer(schedule = @Schedule(...))}. The generated update
 * step evaluates it from the step counter, as torch's schedulers stepped once per optimiser step. A
 * linear warm-up ({@link #warmupSteps()}) composes with every type: the scheduled rate is multiplied
 * by (t + 1) / warmupSteps for the first warmupSteps steps.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({})
public @interface Schedule {
  ScheduleType type() default ScheduleType.NONE;

  /** STEP: steps between two decays; positive. */
  int stepSize() default 1000;

  /** STEP and EXPONENTIAL: the decay factor γ, in (0, 1]. */
  double gamma() default 0.1;

  /** CYCLIC: the lowest rate (the optimiser's learningRate is the highest); in [0, learningRate). */
  double baseLr() default 0.001;

  /** CYCLIC: steps from baseLr up to learningRate (as many back down); positive. */
  int stepSizeUp() default 2000;

  /** COSINE: steps of the first cycle (T₀); positive. */
  int period() default 1000;

  /** COSINE: each cycle is this many times longer than the last (T_mult); at least 1. */
  int periodMultiplier() default 1;

  /** COSINE: the lowest rate (η_min); in [0, learningRate). */
  double minLr() default 0.0;

  /** Steps of linear warm-up, composing with every type; 0 (or 1) for none; not negative. */
  int warmupSteps() default 0;
}
