package dev.nabla.dsl;

/**
 * Layer kind: A fully connected layer: y = act(x·Wᵀ + b), W of shape (units, in) as PyTorch's Linear. Used only as the type of a {@link Layer} field.
 */
public interface Dense {}
