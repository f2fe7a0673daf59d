package dev.nabla.dsl;

/**
 * Layer kind: Layer normalisation over the feature axis, as PyTorch's nn.LayerNorm(C) (ε = 1e-5, learned weight and bias): y = (x − mean)/√(var + ε)·weight + bias for each position. Used only as the type of a {@link Layer} field.
 */
public interface LayerNorm {}
