package dev.nabla.dsl;

/**
 * Layer kind: Multi-head cross-attention: queries from the input, keys and values from the node named by {@link Attention#memory()} (e.g. an encoder's output), as PyTorch's nn.MultiheadAttention(query, memory, memory), with the same parameters as {@link SelfAttention}. Configured by {@link Attention}. Used only as the type of a {@link Attention} field.
 */
public interface CrossAttention {}
