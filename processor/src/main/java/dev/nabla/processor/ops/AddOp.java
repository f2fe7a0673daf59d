package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.ArrayList;
import java.util.List;

/** Add: y = act(x0 + x1 + ...), all inputs of one shape (residual connections). */
public record AddOp(ActivationFn activation, double activationParam) implements Op {

  @Override
  public String kind() {
    return "Add";
  }

  @Override
  public String formula() {
    return "y = " + activation.apply("x0 + x1 + …", activationParam);
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    Shape first = c.inputs().get(0);
    for (int i = 1; i < c.inputs().size(); i++) {
      Shape s = c.inputs().get(i);
      if (!s.equals(first)) {
        c.mismatch(i, "adds '" + c.inputNames().get(0) + "' " + first + " and '" + c.inputNames().get(i)
            + "' " + s, first.sameRows(s) ? "widths differ" : "shapes differ");
        return null;
      }
    }
    return first;
  }

  @Override
  public void forward(ForwardContext c) {
    int n = c.node().inputs().size();
    Buffer y = c.out();
    // Without a saved pre-activation the sum lands in y and the activation runs in place.
    Buffer sum = c.pre() != null ? c.pre() : y;
    List<Buffer> reads = new ArrayList<>();
    for (int i = 0; i < n; i++) reads.add(c.in(i));
    List<Buffer> writes = sum == y ? List.of(y) : List.of(y, sum);
    c.step(formula(), reads, writes, false, e -> {
      CodeBlock.Builder code = CodeBlock.builder();
      code.add("$L.add($L, $L, $L, $L);\n", e.kernels(), e.ref(sum), e.ref(c.in(0)), e.ref(c.in(1)), e.length(y));
      for (int i = 2; i < n; i++) {
        code.add("$L.accumulate($L, $L, $L);\n", e.kernels(), e.ref(sum), e.ref(c.in(i)), e.length(y));
      }
      if (activation != ActivationFn.NONE) {
        code.add("$L.activationForward($L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(y), e.ref(sum),
            e.rows(y), y.shape().features(), e.act(activation), e.literal(activationParam));
      }
      return code.build();
    });
  }

  @Override
  public void backward(BackwardContext c) {
    Buffer dy = c.gradOut();
    List<Buffer> writes = c.inputGradients();
    if (writes.isEmpty()) return;
    c.step("dxᵢ = dy for every input", List.of(dy), writes, e -> {
      CodeBlock.Builder code = CodeBlock.builder();
      for (int i = 0; i < c.node().inputs().size(); i++) {
        if (!c.needsGrad(i)) continue;
        if (c.accumulate(i)) {
          code.add("$L.accumulate($L, $L, $L);\n", e.kernels(), e.ref(c.gradIn(i)), e.ref(dy), e.length(dy));
        } else {
          code.add("$T.arraycopy($L, $L, $L);\n", System.class, e.ref(dy), e.ref(c.gradIn(i)), e.length(dy));
        }
      }
      return code.build();
    });
  }
}
