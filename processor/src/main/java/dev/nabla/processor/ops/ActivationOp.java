package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.List;

/** ActivationLayer: y = act(x), element-wise (softmax per row). */
public record ActivationOp(ActivationFn activation, double activationParam) implements Op {

  @Override
  public String kind() {
    return "ActivationLayer";
  }

  @Override
  public String formula() {
    return "y = " + activation.apply("x", activationParam);
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    return c.inputs().get(0);
  }

  @Override
  public boolean isActivationOnly() {
    return true;
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer x = c.in(0), y = c.out();
    c.step(formula(), List.of(x), List.of(y), false, e -> CodeBlock.of(
        "$L.activationForward($L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(y), e.ref(x), e.rows(y),
        y.shape().features(), e.act(activation), e.literal(activationParam)));
  }

  @Override
  public void backward(BackwardContext c) {
    if (!c.needsGrad(0)) return;
    Buffer dy = c.gradOut(), dx = c.gradIn(0);
    Buffer saved = activation.derivativeFromOutput() ? c.out() : c.in(0);
    c.step("dx = dy ⊙ " + activation.name().toLowerCase() + "'", List.of(dy, saved), List.of(dx), e ->
        CodeBlock.of("$L.activationBackward($L, $L, $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(dx),
            e.ref(dy), e.ref(saved), e.rows(dy), dy.shape().features(), e.act(activation),
            e.literal(activationParam), c.accumulate(0)));
  }
}
