package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a trainable network. The annotated class must be abstract (or at least non-final),
 * top-level or static, with a non-private no-argument constructor; the processor generates
 * {@code <Name>Model}, a final subclass holding the weights, the planned buffers and the fused
 * forward, backward and update code.
 *
 * <p>Each field annotated with {@link Layer} is a node of the network. Its type names the layer
 * kind ({@link Dense}, {@link Add}, {@link Concat}, {@link Dropout}, {@link ActivationLayer}, or a
 * class annotated with {@link Block}); declaration order is the data flow unless {@link Layer#from()}
 * says otherwise; the last declared layer is the output.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Model {
  /** The shape of one example, without the batch dimension. */
  Shape input();

  /** The training loss, applied to the output layer. */
  Loss loss();

  /**
   * Label smoothing ε for {@link Loss#SOFTMAX_CROSS_ENTROPY}, as torch's {@code label_smoothing}: the
   * target of an example becomes (1 − ε)·onehot(label) + ε/C over its C classes. In [0, 1); 0 (the
   * default) is none. Other losses: a compile error.
   */
  double labelSmoothing() default 0.0;

  /**
   * The precisions to generate. {@link Precision#F32} is the SIMD model apps use; {@link
   * Precision#F64} emits the same model in double precision as {@code <Name>ModelF64}, for
   * gradient checks and numerical reference.
   */
  Precision[] precision() default {Precision.F32};
}
