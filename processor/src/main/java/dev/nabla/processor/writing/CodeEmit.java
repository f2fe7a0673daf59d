package dev.nabla.processor.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.ops.ActivationFn;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.Emit;
import dev.nabla.processor.plan.MemoryPlan;

/** Resolves buffers to (array, offset) expressions of the generated class. */
final class CodeEmit implements Emit {
  static final ClassName ACT = ClassName.get(Precision.RUNTIME + ".kernel", "Act");
  static final ClassName SEEDS = ClassName.get(Precision.RUNTIME, "Seeds");

  static final ClassName POSITIONS = ClassName.get(Precision.RUNTIME, "Positions");

  private final MemoryPlan memory;
  private final Precision precision;
  private final boolean classifier;
  private final boolean decoding;
  /** Constant tables the rendered steps use, by field name: filled while rendering. */
  private final java.util.Map<String, CodeBlock> constants;

  CodeEmit(MemoryPlan memory, Precision precision, boolean classifier, boolean decoding,
      java.util.Map<String, CodeBlock> constants) {
    this.memory = memory;
    this.precision = precision;
    this.classifier = classifier;
    this.decoding = decoding;
    this.constants = constants;
  }

  /** The array a buffer lives in. */
  String array(Buffer b) {
    return switch (b.region()) {
      case INPUT -> "x";
      case TARGET -> classifier ? "labels" : "targets";
      case ARENA -> decoding ? "decodeWork" : "work";
      case OUTPUT -> "out";
      case PARAMS -> "params";
      case GRADS -> "grads";
    };
  }

  /** The offset expression alone: {@code B * 16}, {@code 12544}, {@code 0}. */
  String offset(Buffer b, int plus) {
    if (b.region() == Buffer.Region.ARENA) {
      int o = memory.offset(b);
      String base = o == 0 ? "" : "B * " + o;
      if (plus == 0) return base.isEmpty() ? "0" : base;
      return base.isEmpty() ? Integer.toString(plus) : base + " + " + plus;
    }
    return Integer.toString(b.fixedOffset() + plus);
  }

  @Override
  public CodeBlock ref(Buffer b) {
    return ref(b, 0);
  }

  @Override
  public CodeBlock ref(Buffer b, int plus) {
    return CodeBlock.of("$L, $L", array(b), offset(b, plus));
  }

  @Override
  public CodeBlock length(Buffer b) {
    return CodeBlock.of("B * $L", decoding ? b.shape().features() : b.shape().size());
  }

  @Override
  public CodeBlock none() {
    return CodeBlock.of("null, 0");
  }

  @Override
  public CodeBlock rows(Buffer b) {
    int r = decoding ? 1 : b.shape().rowsPerExample();
    return r == 1 ? CodeBlock.of("B") : CodeBlock.of("B * $L", r);
  }

  @Override
  public boolean decoding() {
    return decoding;
  }

  @Override
  public CodeBlock tokens(Buffer input) {
    return decoding ? CodeBlock.of("x, 0, 1") : CodeBlock.of("x, $L, INPUT_SIZE", input.fixedOffset());
  }

  @Override
  public CodeBlock sequence(Buffer b) {
    return CodeBlock.of("$L", decoding ? 1 : b.shape().dim(0));
  }

  @Override
  public CodeBlock position() {
    return CodeBlock.of(decoding ? "position" : "0");
  }

  @Override
  public CodeBlock weightsVersion() {
    return CodeBlock.of("packVersion");
  }

  @Override
  public CodeBlock cache() {
    return CodeBlock.of("kvCache");
  }

  @Override
  public CodeBlock sinusoidTable(int positions, int width) {
    String name = "SINUSOIDS_" + positions + "_" + width;
    constants.putIfAbsent(name, CodeBlock.of("$T.$L($L, $L)", POSITIONS,
        precision == Precision.F64 ? "sinusoidalF64" : "sinusoidal", positions, width));
    return CodeBlock.of("$L", name);
  }

  @Override
  public CodeBlock kernels() {
    return CodeBlock.of("K");
  }

  @Override
  public CodeBlock narrow(CodeBlock doubleExpression) {
    return precision == Precision.F64 ? doubleExpression : CodeBlock.of("(float) ($L)", doubleExpression);
  }

  @Override
  public CodeBlock literal(double v) {
    return precision.literal(v);
  }

  @Override
  public CodeBlock act(ActivationFn fn) {
    return CodeBlock.of("$T.$L", ACT, fn.constant());
  }

  @Override
  public CodeBlock stepSeed(int salt) {
    return CodeBlock.of("$T.mix(seed, steps, $L)", SEEDS, salt);
  }
}
