package dev.nabla.dsl;

/**
 * Layer kind: Learned positional encoding: adds a learned vector per position to a (T, C) sequence, as {@code x + nn.Embedding(context, C)(arange(T))}. Its table has {@link Layer#context()} rows (default: the sequence length). Used only as the type of a {@link Layer} field.
 */
public interface PositionalEmbedding {}
