package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer norm over the feature axis, as nn.LayerNorm(C): y = (x − μ)·rstd·weight + bias, rstd =
 * 1/√(σ² + 1e-5). The forward saves μ and rstd per row; the backward reads them.
 */
public record LayerNormOp() implements Op {
  public static final double EPS = 1e-5;

  @Override
  public String kind() {
    return "LayerNorm";
  }

  @Override
  public String formula() {
    return "y = (x − μ) / √(σ² + 1e-5) · weight + bias per row";
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    return c.inputs().get(0);
  }

  @Override
  public List<ParamTensor> parameters(List<Shape> inputs, Shape output) {
    int n = output.features();
    return List.of(new ParamTensor("weight", new int[] {n}, "ONE", n, n),
        new ParamTensor("bias", new int[] {n}, "ZERO", n, n));
  }

  @Override
  public long flops(List<Shape> inputs, Shape output) {
    return 8L * output.size();
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer x = c.in(0), y = c.out(), g = c.param("weight"), b = c.param("bias");
    Shape rows = Shape.of(Math.max(1, y.shape().rowsPerExample()));
    Buffer mean = c.saveBuffer("mean", rows), rstd = c.saveBuffer("rstd", rows);
    int n = y.shape().features();
    c.step(formula(), List.of(x, g, b), List.of(y, mean, rstd), false, e -> CodeBlock.of(
        "$L.layerNormForward($L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(y), e.ref(mean),
        e.ref(rstd), e.ref(x), e.ref(g), e.ref(b), e.rows(y), n, e.literal(EPS)));
  }

  @Override
  public void backward(BackwardContext c) {
    Buffer x = c.in(0), dy = c.gradOut(), g = c.param("weight");
    Buffer dg = c.paramGrad("weight"), db = c.paramGrad("bias");
    Buffer mean = c.saved("mean"), rstd = c.saved("rstd");
    boolean toInput = c.needsGrad(0);
    List<Buffer> writes = new ArrayList<>(List.of(dg, db));
    if (toInput) writes.add(c.gradIn(0));
    int n = dy.shape().features();
    c.step("dweight = Σ dy ⊙ x̂, dbias = Σ dy" + (toInput ? ", dx = rstd·(g − mean(g) − x̂·mean(g ⊙ x̂)), g = dy ⊙ weight" : ""),
        List.of(dy, x, mean, rstd, g), writes, e -> CodeBlock.of(
            "$L.layerNormBackward($L, $L, $L,\n    $L, $L, $L, $L, $L, $L, $L, $L);\n", e.kernels(),
            toInput ? e.ref(c.gradIn(0)) : e.none(), e.ref(dg), e.ref(db), e.ref(dy), e.ref(x), e.ref(mean),
            e.ref(rstd), e.ref(g), e.rows(dy), n, toInput && c.accumulate(0)));
  }
}
