package dev.nabla.dsl;

/**
 * The type of an {@link Input} field: a further input of token ids (for example the decoder
 * input of an encoder-decoder).
 */
public interface Tokens {}
