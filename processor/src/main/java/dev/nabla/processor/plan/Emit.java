package dev.nabla.processor.plan;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.ops.ActivationFn;

/** What a {@link Renderer} may ask of the code writer. */
public interface Emit {
  /** "array, offset" for a buffer, e.g. {@code work, B * 16} or {@code params, 12544}. */
  CodeBlock ref(Buffer b);

  /** "array, offset + plus": a column offset into a buffer's rows (concat). */
  CodeBlock ref(Buffer b, int plus);

  /** Elements of a per-example buffer for the whole batch: {@code B * 16}. */
  CodeBlock length(Buffer b);

  /** "null, 0": an absent optional buffer. */
  CodeBlock none();

  /** Rows of a per-example buffer as an expression: {@code B} or {@code B * 28}. */
  CodeBlock rows(Buffer b);

  /** The kernels field: {@code K}. */
  CodeBlock kernels();

  /** A literal of the model's element type: {@code 0.01f} or {@code 0.01}. */
  CodeBlock literal(double v);

  /** A double expression as the model's element type: {@code (float) (expr)} or {@code expr}. */
  CodeBlock narrow(CodeBlock doubleExpression);

  /** {@code Act.SIGMOID}. */
  CodeBlock act(ActivationFn fn);

  /** A seed expression unique to this step and training step: for dropout. */
  CodeBlock stepSeed(int salt);

  /**
   * Whether this rendering is the one-token decode path of a KV-cache decoder: every per-example
   * buffer holds one position, B is 1, and {@link #position()} is the position being decoded.
   */
  boolean decoding();

  /** "x, column, stride": a token input's ids at their column of each example, and the example stride. */
  CodeBlock tokens(Buffer input);

  /** The positions per example of a (T, C) buffer: {@code 64}, or {@code 1} when decoding. */
  CodeBlock sequence(Buffer b);

  /** The position of each example's first row: {@code 0}, or {@code position} when decoding. */
  CodeBlock position();

  /** The KV cache array of the decode path: {@code kvCache}. */
  CodeBlock cache();

  /** A constant table of the generated class holding the sinusoidal encoding, (positions, width). */
  CodeBlock sinusoidTable(int positions, int width);

  /**
   * The weights-version argument of a forward matmul: {@code packVersion}, which predictions set to
   * the model's weights version (so the kernels may keep packed weights) and training sets to −1.
   */
  CodeBlock weightsVersion();
}
