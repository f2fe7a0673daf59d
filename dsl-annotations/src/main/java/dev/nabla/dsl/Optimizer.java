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

  /** Momentum coefficient in [0, 1); 0 means none. SGD and RMSPROP. */
  double momentum() default 0.0;

  /** Nesterov's look-ahead momentum; needs a positive {@link #momentum()}. SGD only. */
  boolean nesterov() default false;

  /** Decay of the first moment, in [0, 1). ADAM, ADAMW, ADAMAX and NADAM. */
  double beta1() default 0.9;

  /** Decay of the second moment (ADAMAX: of the infinity norm), in [0, 1). ADAM, ADAMW, ADAMAX, NADAM. */
  double beta2() default 0.999;

  /**
   * ε for the denominators; positive and finite. Every type but SGD. When left out, torch's default for
   * the type: 1e-10 for ADAGRAD, 1e-6 for ADADELTA, 1e-8 for the others.
   */
  double epsilon() default 1e-8;

  /** RMSProp's smoothing constant α, in [0, 1). RMSPROP only. */
  double alpha() default 0.99;

  /** RMSProp centred on the running mean of the gradient. RMSPROP only. */
  boolean centered() default false;

  /** AdaDelta's decay ρ of both running averages, in [0, 1). ADADELTA only. */
  double rho() default 0.9;

  /** AdaGrad's starting value of the sum of squares; non-negative and finite. ADAGRAD only. */
  double initialAccumulator() default 0.0;

  /**
   * Weight decay λ, non-negative and finite, on every parameter (weights and biases), as torch's
   * {@code weight_decay}. For ADAMW it is decoupled (p −= lr·λ·p before the Adam step) and defaults to
   * 0.01; for every other type it is the coupled L2 penalty, g ← g + λ·p after clipping and before
   * the update (the loss value reported does not include λ/2·‖p‖²), and defaults to 0 (none).
   */
  double weightDecay() default 0.01;

  /** NAdam's momentum decay ψ; non-negative and finite. NADAM only. */
  double momentumDecay() default 0.004;

  /**
   * Clips the gradient by its global L2 norm before the update, as {@code
   * torch.nn.utils.clip_grad_norm_}: g ← g · min(1, clipNorm / (‖g‖ + 1e-6)). 0 turns clipping off;
   * otherwise positive and finite. Every type.
   */
  double clipNorm() default 0.0;

  /** The learning-rate schedule, stepped once per optimiser step; none by default. Every type. */
  Schedule schedule() default @Schedule;
}
