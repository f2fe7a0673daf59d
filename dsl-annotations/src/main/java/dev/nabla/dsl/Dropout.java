package dev.nabla.dsl;

/**
 * Layer kind: Zeroes each feature with probability {@link Layer#rate()} during training and scales the rest by 1/(1−rate); the identity at inference. Used only as the type of a {@link Layer} field.
 */
public interface Dropout {}
