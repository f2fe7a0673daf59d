package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.List;

/**
 * Dropout: in training y = x ⊙ mask, mask ∈ {0, 1/(1−rate)} drawn from the model's seed and the
 * step number (so a resumed run draws the same masks); at inference y = x.
 */
public record DropoutOp(double rate, int salt) implements Op {

  @Override
  public String kind() {
    return "Dropout";
  }

  @Override
  public String formula() {
    return "y = x ⊙ mask (rate " + rate + ") in training, x at inference";
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    return c.inputs().get(0);
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer x = c.in(0), y = c.out();
    Buffer mask = c.saveBuffer("mask", y.shape());
    c.step(formula(), List.of(x), List.of(y, mask), true, e -> CodeBlock.builder()
        .beginControlFlow("if (training)")
        .add("$L.dropoutForward($L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(y), e.ref(mask), e.ref(x),
            e.length(y), e.literal(rate), e.stepSeed(salt))
        .nextControlFlow("else")
        .add("$T.arraycopy($L, $L, $L);\n", System.class, e.ref(x), e.ref(y), e.length(y))
        .endControlFlow()
        .build());
  }

  @Override
  public void backward(BackwardContext c) {
    if (!c.needsGrad(0)) return;
    Buffer dy = c.gradOut(), dx = c.gradIn(0), mask = c.saved("mask");
    c.step("dx = dy ⊙ mask", List.of(dy, mask), List.of(dx), e -> CodeBlock.of(
        "$L.multiply($L, $L, $L, $L, $L);\n", e.kernels(), e.ref(dx), e.ref(dy), e.ref(mask), e.length(dy),
        c.accumulate(0)));
  }
}
