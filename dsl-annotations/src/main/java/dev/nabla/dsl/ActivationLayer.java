package dev.nabla.dsl;

/**
 * Layer kind: A stand-alone activation, for applying one after a merge or to the input. Used only as the type of a {@link Layer} field.
 */
public interface ActivationLayer {}
