package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.ArrayList;
import java.util.List;

/** Concat: y = [x0, x1, ...] along the feature axis (Inception-style parallel branches). */
public record ConcatOp() implements Op {

  @Override
  public String kind() {
    return "Concat";
  }

  @Override
  public String formula() {
    return "y = [x0, x1, …] along the features";
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    Shape first = c.inputs().get(0);
    int features = first.features();
    for (int i = 1; i < c.inputs().size(); i++) {
      Shape s = c.inputs().get(i);
      if (!s.sameRows(first)) {
        c.mismatch(i, "concatenates '" + c.inputNames().get(0) + "' " + first + " and '"
            + c.inputNames().get(i) + "' " + s, "all dimensions but the last must agree");
        return null;
      }
      features += s.features();
    }
    return first.withFeatures(features);
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer y = c.out();
    List<Buffer> reads = new ArrayList<>();
    for (int i = 0; i < c.node().inputs().size(); i++) reads.add(c.in(i));
    c.step(formula(), reads, List.of(y), false, e -> copies(e.kernels(), c.node().inputs().size(), i -> {
      Buffer x = c.in(i);
      return CodeBlock.of("$L, $L, $L, $L, $L, $L, false", e.ref(y, c.column(i)), y.shape().features(),
          e.ref(x), x.shape().features(), e.rows(x), x.shape().features());
    }));
  }

  @Override
  public void backward(BackwardContext c) {
    Buffer dy = c.gradOut();
    List<Buffer> writes = c.inputGradients();
    if (writes.isEmpty()) return;
    c.step("dxᵢ = the columns of dy that xᵢ filled", List.of(dy), writes, e ->
        copies(e.kernels(), c.node().inputs().size(), i -> {
          if (!c.needsGrad(i)) return null;
          int cols = c.in(i).shape().features();
          return CodeBlock.of("$L, $L, $L, $L, $L, $L, $L", e.ref(c.gradIn(i)), cols,
              e.ref(dy, c.column(i)), dy.shape().features(), e.rows(dy), cols, c.accumulate(i));
        }));
  }

  private static CodeBlock copies(CodeBlock kernels, int n, java.util.function.IntFunction<CodeBlock> args) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (int i = 0; i < n; i++) {
      CodeBlock a = args.apply(i);
      if (a != null) code.add("$L.copyColumns($L);\n", kernels, a);
    }
    return code.build();
  }
}
