/**
 * Benchmarks: JMH kernel benchmarks, and the side-by-side model benchmark against PyTorch.
 *
 * <p>{@link dev.nabla.bench.Compare} (the module's exec:exec main) runs everything in child
 * processes: {@code shared/bench/pytorch_reference.py}, {@link dev.nabla.bench.ModelBench} (the
 * models of {@code models/}), the JVM peers of {@code bench-peers} when built, and {@link
 * dev.nabla.bench.CompileTime} (the annotation processor's own time).
 */
package dev.nabla.bench;
