package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.base.Message;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Positional encoding of a (T, C) sequence: y[t] = x[t] + P[t]. Learned ({@code
 * PositionalEmbedding}, P a (context, C) parameter named {@code weight}, initialised N(0, 1) as
 * nn.Embedding) or the fixed sinusoids of "Attention is all you need" ({@code SinusoidalEncoding}).
 * {@code context} is the number of positions covered; 0 means the input's length.
 */
public record PositionsOp(boolean learned, int context) implements Op {

  @Override
  public String kind() {
    return learned ? "PositionalEmbedding" : "SinusoidalEncoding";
  }

  @Override
  public String formula() {
    return learned ? "y[t] = x[t] + P[t]" : "y[t] = x[t] + (sin, cos)(t / 10000^(2i/C))";
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    Shape in = c.inputs().get(0);
    if (in.rank() != 2) {
      c.report(Message.NOT_A_SEQUENCE, 0, c.name(), kind(), c.inputNames().get(0), in);
      return null;
    }
    if (context > 0 && in.dim(0) > context) {
      c.reportAttribute(Message.SEQUENCE_TOO_LONG, "context", c.name(), context, c.inputNames().get(0), in.dim(0));
      return null;
    }
    return in;
  }

  /** Positions covered: the declared context, or the input's length. */
  private int positions(Shape in) {
    return context > 0 ? context : in.dim(0);
  }

  @Override
  public List<ParamTensor> parameters(List<Shape> inputs, Shape output) {
    if (!learned) return List.of();
    int n = positions(inputs.get(0));
    return List.of(new ParamTensor("weight", new int[] {n, output.features()}, "NORMAL", n, output.features()));
  }

  @Override
  public long flops(List<Shape> inputs, Shape output) {
    return output.size();
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer x = c.in(0), y = c.out();
    int width = y.shape().features(), n = positions(x.shape());
    Buffer table = learned ? c.param("weight") : null;
    List<Buffer> reads = new ArrayList<>(List.of(x));
    if (table != null) reads.add(table);
    c.step(formula(), reads, List.of(y), false, e -> CodeBlock.of(
        "$L.addPositions($L, $L, $L,\n    $L, $L, $L, $L);\n", e.kernels(), e.ref(y), e.ref(x),
        table != null ? e.ref(table) : CodeBlock.of("$L, 0", e.sinusoidTable(n, width)), e.position(),
        e.sequence(y), e.rows(y), width));
  }

  @Override
  public void backward(BackwardContext c) {
    Buffer dy = c.gradOut();
    List<Buffer> writes = new ArrayList<>();
    if (c.needsGrad(0)) writes.add(c.gradIn(0));
    if (learned) writes.add(c.paramGrad("weight"));
    if (writes.isEmpty()) return;
    c.step(learned ? "dx = dy; dP[t] = Σ over the batch of dy[t]" : "dx = dy", List.of(dy), writes, e -> {
      CodeBlock.Builder code = CodeBlock.builder();
      if (c.needsGrad(0)) {
        if (c.accumulate(0)) {
          code.add("$L.accumulate($L, $L, $L);\n", e.kernels(), e.ref(c.gradIn(0)), e.ref(dy), e.length(dy));
        } else {
          code.add("$T.arraycopy($L, $L, $L);\n", System.class, e.ref(dy), e.ref(c.gradIn(0)), e.length(dy));
        }
      }
      if (learned) {
        code.add("$L.positionsBackward($L, $L, $L, $L, $L, false);\n", e.kernels(), e.ref(c.paramGrad("weight")),
            e.ref(dy), e.sequence(dy), e.rows(dy), dy.shape().features());
      }
      return code.build();
    });
  }
}
