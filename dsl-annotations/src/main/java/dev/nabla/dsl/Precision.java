package dev.nabla.dsl;

/** Floating-point precisions the processor can generate a model in. */
public enum Precision {
  /** float, with the SIMD kernels. */
  F32,
  /** double, the numerical reference used by gradient checks. */
  F64
}
