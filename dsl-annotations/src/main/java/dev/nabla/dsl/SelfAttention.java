package dev.nabla.dsl;

/**
 * Layer kind: Multi-head self-attention, as PyTorch's nn.MultiheadAttention with query = key = value = the input: Q, K and V come from one projection ({@code in_proj_weight} (3C, C), {@code in_proj_bias}), each head attends with scaled dot products (optionally causal), and {@code out_proj} maps the heads back to C. Configured by {@link Attention}. Used only as the type of a {@link Attention} field.
 */
public interface SelfAttention {}
