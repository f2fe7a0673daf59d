/**
 * The benchmark models, declared with the DSL to match {@code shared/bench/pytorch_reference.py}
 * layer for layer (same widths, activations, optimiser, loss and batch size).
 */
package dev.nabla.bench.models;
