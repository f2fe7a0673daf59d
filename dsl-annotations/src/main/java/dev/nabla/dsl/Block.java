package dev.nabla.dsl;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A reusable sub-network. Its {@link Layer} fields are declared exactly as in a {@link Model};
 * {@code "input"} names whatever the block is wired to, and the last declared layer is the block's
 * output. A model uses a block as a field type: {@code @Layer(repeat = 4) ResidualBlock blocks;}.
 * Shapes are checked for every place the block is used.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Block {}
