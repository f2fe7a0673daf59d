package dev.nabla.dsl;

/**
 * Layer kind: Sinusoidal positional encoding of "Attention is all you need": adds PE[p, 2i] = sin(p / 10000^(2i/C)) and PE[p, 2i+1] = cos(p / 10000^(2i/C)) to each position p of a (T, C) sequence. No parameters; {@link Layer#context()} bounds the positions (default: the sequence length). Used only as the type of a {@link Layer} field.
 */
public interface SinusoidalEncoding {}
