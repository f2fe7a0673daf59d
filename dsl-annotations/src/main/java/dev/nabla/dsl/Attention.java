package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Multi-head scaled dot-product attention, on a field of type {@link SelfAttention} or {@link
 * CrossAttention} in a {@link Model} or {@link Block} class. The input is a (T, C) sequence; C must
 * divide into {@link #heads()} heads of C / heads features. The output is (T, C).
 *
 * <pre>{@code
 * @Attention(heads = 4, causal = true) SelfAttention attn;
 * @Attention(heads = 4, memory = "encoder") CrossAttention cross;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Attention {
  /** The number of heads; must divide the input's width. */
  int heads();

  /**
   * Whether position i may attend only to positions up to i (a decoder, a GPT). A causal
   * self-attention model also gets a KV-cache decoder for generation.
   */
  boolean causal() default false;

  /**
   * For {@link CrossAttention}: the node whose output gives the keys and values, by field name;
   * looked up in the enclosing block first, then outwards (so a decoder block can name the model's
   * encoder). Its width must equal the input's.
   */
  String memory() default "";

  /** The node giving the queries (and, for self-attention, the keys and values); empty means the previous layer. */
  String from() default "";

  /** How many copies to chain, as {@link Layer#repeat()}. */
  int repeat() default 1;
}
