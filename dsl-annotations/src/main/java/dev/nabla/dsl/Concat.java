package dev.nabla.dsl;

/**
 * Layer kind: Concatenation of two or more inputs along the feature axis (Inception-style parallel branches). Used only as the type of a {@link Layer} field.
 */
public interface Concat {}
