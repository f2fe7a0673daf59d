package dev.nabla.runtime.kernel;

/** The kernels picked at start-up. (Placeholder: implemented in the kernels work.) */
public final class Kernels {
  private Kernels() {}

  public static final FloatKernels F32 = null;
  public static final DoubleKernels F64 = null;
}
