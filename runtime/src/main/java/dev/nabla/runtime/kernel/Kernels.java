package dev.nabla.runtime.kernel;

/**
 * The kernels picked at start-up. F32 is {@link VectorFloatKernels} when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (and {@code -Dnabla.simd=false} is not set), else
 * {@link ScalarFloatKernels}. The vector class is loaded reflectively: a direct reference would link
 * the incubator module and fail on a JVM without it.
 */
public final class Kernels {
  private Kernels() {}

  public static final FloatKernels F32 = pickFloat();
  public static final DoubleKernels F64 = new ScalarDoubleKernels();

  /** Whether jdk.incubator.vector is in the boot layer. */
  public static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** One line for logs, e.g. "f32: vector (16 lanes, 2 threads); f64: scalar". */
  public static String describe() {
    return "f32: " + F32.describe() + "; f64: " + F64.describe();
  }

  private static FloatKernels pickFloat() {
    boolean disabled = "false".equalsIgnoreCase(System.getProperty("nabla.simd"));
    if (!disabled && vectorModulePresent()) {
      try {
        return (FloatKernels) Class.forName("dev.nabla.runtime.kernel.VectorFloatKernels")
            .getConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        System.err.println("nabla: could not start the SIMD kernels (" + e + "); using scalar kernels");
        return new ScalarFloatKernels();
      }
    }
    if (!disabled) {
      System.err.println("nabla: jdk.incubator.vector is not enabled; using scalar kernels "
          + "(run java with --add-modules jdk.incubator.vector for SIMD)");
    }
    return new ScalarFloatKernels();
  }
}
