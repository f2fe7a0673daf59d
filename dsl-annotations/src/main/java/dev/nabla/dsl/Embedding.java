package dev.nabla.dsl;

/**
 * Layer kind: Token embedding: each token id of a token input becomes a learned vector of {@code units} features, as PyTorch's nn.Embedding (weight (vocab, units), initialised N(0, 1)). Reads a token input ({@code @Shape(value = T, vocab = V)}); the output is (T, units). Used only as the type of a {@link Layer} field.
 */
public interface Embedding {}
