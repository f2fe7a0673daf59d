/** Benchmarks: JMH kernel benchmarks and the side-by-side model benchmark. */
package dev.nabla.bench;
