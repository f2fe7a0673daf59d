package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.List;

/**
 * Embedding: y[t] = W[token t], W of shape (vocab, units) as PyTorch's nn.Embedding. Reads a token
 * input (T ids) and gives a (T, units) sequence; the backward scatters dy into the rows of dW.
 */
public record EmbeddingOp(int units, String init) implements Op {

  @Override
  public String kind() {
    return "Embedding";
  }

  @Override
  public String formula() {
    return "y[t] = W[x[t]]";
  }

  @Override
  public boolean readsTokens() {
    return true;
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    Shape in = c.inputs().get(0);
    if (!in.isTokens()) {
      c.report(dev.nabla.processor.base.Message.NOT_TOKENS, 0, c.name(), c.inputNames().get(0), in);
      return null;
    }
    return Shape.of(in.dim(0), units);
  }

  @Override
  public List<ParamTensor> parameters(List<Shape> inputs, Shape output) {
    int vocab = inputs.get(0).vocab();
    return List.of(new ParamTensor("weight", new int[] {vocab, units}, init.equals("AUTO") ? "NORMAL" : init,
        vocab, units));
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer x = c.in(0), y = c.out(), w = c.param("weight");
    int vocab = x.shape().vocab();
    c.step(formula() + ", W (" + vocab + ", " + units + ")", List.of(x, w), List.of(y), false, e -> CodeBlock.of(
        "$L.embeddingForward($L, $L, $L,\n    $L, $L, $L, $L);\n", e.kernels(), e.ref(y), e.ref(w),
        e.tokens(x), e.sequence(y), e.rows(y), units, vocab));
  }

  @Override
  public void backward(BackwardContext c) {
    Buffer x = c.in(0), dy = c.gradOut(), dw = c.paramGrad("weight");
    int vocab = x.shape().vocab();
    c.step("dW[x[t]] += dy[t]", List.of(dy, x), List.of(dw), e -> CodeBlock.of(
        "$L.embeddingBackward($L, $L, $L,\n    $L, $L, $L, $L, false);\n", e.kernels(), e.ref(dw), e.ref(dy),
        e.tokens(x), e.sequence(dy), e.rows(dy), units, vocab));
  }
}
