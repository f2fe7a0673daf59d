package dev.nabla.processor.ops;

import com.palantir.javapoet.CodeBlock;
import dev.nabla.processor.graph.Shape;
import dev.nabla.processor.plan.BackwardContext;
import dev.nabla.processor.plan.Buffer;
import dev.nabla.processor.plan.ForwardContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Dense: y = act(x·Wᵀ + b) over the feature axis, W of shape (units, in) as PyTorch's Linear.
 * Forward is one GEMM whose epilogue adds the bias and applies the activation per output tile; the
 * backward to the input folds the input's own activation derivative into its epilogue.
 */
public record DenseOp(int units, boolean bias, ActivationFn activation, double activationParam, String init)
    implements Op {

  @Override
  public String kind() {
    return "Dense";
  }

  @Override
  public String formula() {
    return "y = " + activation.apply(bias ? "x·Wᵀ + b" : "x·Wᵀ", activationParam);
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    return c.inputs().get(0).withFeatures(units);
  }

  @Override
  public List<ParamTensor> parameters(List<Shape> inputs, Shape output) {
    int in = inputs.get(0).features();
    String weightInit = init.equals("AUTO") ? (activation.reluFamily() ? "HE" : "XAVIER") : init;
    List<ParamTensor> p = new ArrayList<>();
    p.add(new ParamTensor("weight", new int[] {units, in}, weightInit, in, units));
    if (bias) p.add(new ParamTensor("bias", new int[] {units}, "ZERO", in, units));
    return p;
  }

  @Override
  public long flops(List<Shape> inputs, Shape output) {
    return 2L * inputs.get(0).features() * units * output.rowsPerExample();
  }

  @Override
  public boolean foldsInputDerivative() {
    return true;
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer x = c.in(0), y = c.out(), z = c.pre(), w = c.param("weight");
    Buffer b = bias ? c.param("bias") : null;
    int in = x.shape().features();
    List<Buffer> reads = b == null ? List.of(x, w) : List.of(x, w, b);
    List<Buffer> writes = z == null ? List.of(y) : List.of(y, z);
    c.step(formula(), reads, writes, false, e -> CodeBlock.of(
        "$L.denseForward($L, $L, $L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n",
        e.kernels(), e.ref(y), z == null ? e.none() : e.ref(z), e.ref(x), e.ref(w),
        b == null ? e.none() : e.ref(b), e.rows(y), units, in, e.act(activation), e.literal(activationParam),
        e.weightsVersion()));
  }

  @Override
  public void backward(BackwardContext c) {
    Buffer x = c.in(0), dy = c.gradOut(), w = c.param("weight"), dw = c.paramGrad("weight");
    Buffer db = bias ? c.paramGrad("bias") : null;
    int in = x.shape().features();
    List<Buffer> reads = new ArrayList<>(List.of(dy, x, w));
    List<Buffer> writes = new ArrayList<>(db == null ? List.of(dw) : List.of(dw, db));
    boolean toInput = c.needsGrad(0);
    ActivationFn fold = toInput ? c.fold(0) : ActivationFn.NONE;
    Buffer saved = fold == ActivationFn.NONE ? null : c.foldSaved(0);
    if (toInput) writes.add(c.gradIn(0));
    if (saved != null) reads.add(saved);
    String what = "dW = dyᵀ·x" + (bias ? ", db = Σ dy" : "")
        + (toInput ? (fold == ActivationFn.NONE ? ", dx = dy·W" : ", dx = (dy·W) ⊙ " + fold.name().toLowerCase() + "'") : "");
    c.step(what, reads, writes, e -> {
      CodeBlock.Builder code = CodeBlock.builder();
      if (toInput) {
        code.add("$L.denseBackwardInput($L, $L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n",
            e.kernels(), e.ref(c.gradIn(0)), e.ref(dy), e.ref(w), saved == null ? e.none() : e.ref(saved),
            e.rows(dy), units, in, c.accumulate(0), e.act(fold), e.literal(c.foldParam(0)));
      }
      code.add("$L.denseBackwardWeight($L, $L, $L, $L,\n    $L, $L, $L, false);\n",
          e.kernels(), e.ref(dw), db == null ? e.none() : e.ref(db), e.ref(dy), e.ref(x), e.rows(dy), units, in);
      return code.build();
    });
  }
}
