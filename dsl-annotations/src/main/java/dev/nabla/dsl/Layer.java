package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One node of the network, on a field of a {@link Model} or {@link Block} class. The field's type
 * picks the layer kind; the attributes that kind does not use must stay at their defaults (the
 * processor reports any that are set).
 *
 * <table>
 *   <caption>Attributes by layer kind</caption>
 *   <tr><th>kind</th><th>uses</th></tr>
 *   <tr><td>{@link Dense}</td><td>units, bias, activation, alpha, temperature, init, from, repeat</td></tr>
 *   <tr><td>{@link ActivationLayer}</td><td>activation, alpha, temperature, from, repeat</td></tr>
 *   <tr><td>{@link Add}</td><td>from (two or more), activation, alpha, temperature</td></tr>
 *   <tr><td>{@link Concat}</td><td>from (two or more)</td></tr>
 *   <tr><td>{@link Dropout}</td><td>rate, from, repeat</td></tr>
 *   <tr><td>{@link Embedding}</td><td>units, init, from</td></tr>
 *   <tr><td>{@link PositionalEmbedding}, {@link SinusoidalEncoding}</td><td>context, from</td></tr>
 *   <tr><td>{@link LayerNorm}</td><td>from, repeat</td></tr>
 *   <tr><td>a {@link Block} class</td><td>from, repeat</td></tr>
 * </table>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Layer {
  /** Output features of a {@link Dense} layer; the vector size of an {@link Embedding}. */
  int units() default 0;

  /** Whether a {@link Dense} layer adds a learned bias. */
  boolean bias() default true;

  /** The activation applied to the layer's output. */
  Activation activation() default Activation.NONE;

  /**
   * The activation's parameter: the negative slope of {@link Activation#LEAKY_RELU} (default
   * 0.01) or the α of {@link Activation#ELU} (default 1.0). NaN means the default.
   */
  double alpha() default Double.NaN;

  /** The temperature of {@link Activation#SOFTMAX}: softmax(x / temperature). Must be positive. */
  double temperature() default 1.0;

  /** The weight initialisation of a {@link Dense} layer. */
  Init init() default Init.AUTO;

  /** The drop probability of a {@link Dropout} layer, in [0, 1). */
  double rate() default 0.0;

  /**
   * The longest sequence a positional encoding covers ({@link PositionalEmbedding} has this many
   * rows). 0, the default, means the sequence length of its input; a longer input is a compile
   * error.
   */
  int context() default 0;

  /**
   * The nodes this layer reads, by field name ({@code "input"} is the model's or block's input).
   * Empty means the previous declared layer. Merge layers ({@link Add}, {@link Concat}) take two
   * or more.
   */
  String[] from() default {};

  /**
   * How many copies of this layer to chain, each reading the previous one. Copies are named {@code
   * name.0}, {@code name.1}, ...; other layers refer to the last copy as {@code name}.
   */
  int repeat() default 1;
}
