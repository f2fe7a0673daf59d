package dev.nabla.bench.kernels;

import org.openjdk.jmh.annotations.Fork;

/** {@link GemmBench} with a pool of 2 threads. */
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Dnabla.threads=2"})
public class GemmBench2 extends GemmBench {}
