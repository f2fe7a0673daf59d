package dev.nabla.dsl;

/**
 * Layer kind: Element-wise sum of two or more inputs of the same shape (a residual connection). Used only as the type of a {@link Layer} field.
 */
public interface Add {}
