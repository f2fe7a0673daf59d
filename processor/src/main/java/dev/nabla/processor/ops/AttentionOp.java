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
 * Multi-head scaled dot-product attention with its projections, as nn.MultiheadAttention: the
 * input projection {@code in_proj_weight} (3C, C) and {@code in_proj_bias} (3C), then per head
 * softmax(q·kᵀ/√d)·v (optionally causal), then {@code out_proj} (C, C). Self-attention takes q, k
 * and v from one matmul of its input; cross-attention (input 1 is the memory) takes q from its
 * input and k, v from one matmul of the memory. The attention itself is one fused kernel per
 * (example, head) with an online softmax; its forward saves the per-row log-sum-exp so the backward
 * recomputes the probabilities instead of storing them.
 */
public record AttentionOp(int heads, boolean causal, boolean cross) implements Op {

  @Override
  public String kind() {
    return cross ? "CrossAttention" : "SelfAttention";
  }

  @Override
  public String formula() {
    return "y = concat over " + heads + " heads of softmax(q·kᵀ/√d" + (causal ? " + causal mask" : "")
        + ")·v, projected by out_proj";
  }

  @Override
  public Shape inferShape(ShapeContext c) {
    Shape x = c.inputs().get(0);
    if (x.rank() != 2) {
      c.report(Message.NOT_A_SEQUENCE, 0, c.name(), kind(), c.inputNames().get(0), x);
      return null;
    }
    if (x.features() % heads != 0) {
      c.reportAttribute(Message.HEADS, "heads", c.name(), x.features(), heads);
      return null;
    }
    if (cross) {
      Shape m = c.inputs().get(1);
      if (m.rank() != 2) {
        c.report(Message.NOT_A_SEQUENCE, 1, c.name(), kind(), c.inputNames().get(1), m);
        return null;
      }
      if (m.features() != x.features()) {
        c.mismatch(1, "attends from '" + c.inputNames().get(0) + "' " + x + " over '" + c.inputNames().get(1) + "' "
            + m, "the memory's width must equal the query's (" + x.features() + ")");
        return null;
      }
    }
    return x;
  }

  @Override
  public List<ParamTensor> parameters(List<Shape> inputs, Shape output) {
    int w = output.features();
    return List.of(
        new ParamTensor("in_proj_weight", new int[] {3 * w, w}, "XAVIER", w, 3 * w),
        new ParamTensor("in_proj_bias", new int[] {3 * w}, "ZERO", w, 3 * w),
        new ParamTensor("out_proj.weight", new int[] {w, w}, "XAVIER", w, w),
        new ParamTensor("out_proj.bias", new int[] {w}, "ZERO", w, w));
  }

  @Override
  public long flops(List<Shape> inputs, Shape output) {
    long tq = output.dim(0), w = output.features();
    long tk = cross ? inputs.get(1).dim(0) : tq;
    long projections = 2 * tq * w * w * (cross ? 1 : 3) + (cross ? 2 * tk * w * 2 * w : 0) + 2 * tq * w * w;
    long pairs = causal ? tq * (tk + 1) / 2 : tq * tk;
    return projections + 4 * pairs * w;
  }

  @Override
  public boolean foldsInputDerivative() {
    return true;
  }

  private int headDim(Buffer y) {
    return y.shape().features() / heads;
  }

  @Override
  public void forward(ForwardContext c) {
    Buffer x = c.in(0), y = c.out();
    Buffer w = c.param("in_proj_weight"), b = c.param("in_proj_bias");
    Buffer wo = c.param("out_proj.weight"), bo = c.param("out_proj.bias");
    int width = y.shape().features(), t = y.shape().dim(0), d = headDim(y);
    Buffer att = c.saveBuffer("heads", y.shape());
    Buffer lse = c.saveBuffer("logsumexp", Shape.of(heads, t));
    if (cross) {
      Buffer m = c.in(1);
      int tk = m.shape().dim(0);
      Buffer q = c.saveBuffer("q", y.shape());
      Buffer kv = c.saveBuffer("kv", Shape.of(tk, 2 * width));
      c.step("q = x·W_qᵀ + b_q; k, v = memory·W_kvᵀ + b_kv; " + formula(),
          List.of(x, m, w, b, wo, bo), List.of(q, kv, att, lse, y), false, e -> CodeBlock.builder()
              .add("// q (B·$L, $L) from the first $L rows of in_proj; k | v (B·$L, $L) from the other $L\n", t, width,
                  width, tk, 2 * width, 2 * width)
              .add("$L.denseForward($L, $L, $L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(q), e.none(),
                  e.ref(x), e.ref(w), e.ref(b), e.rows(q), width, width, e.act(ActivationFn.NONE), e.literal(0), e.weightsVersion())
              .add("$L.denseForward($L, $L, $L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(kv), e.none(),
                  e.ref(m), e.ref(w, width * width), e.ref(b, width), CodeBlock.of("B * $L", tk), 2 * width, width,
                  e.act(ActivationFn.NONE), e.literal(0), e.weightsVersion())
              .add("// per example and head: softmax(q·kᵀ/√$L)·v, one pass per query row (online softmax)\n", d)
              .add("$L.attentionForward($L, $L,\n    $L, $L, $L, $L, $L, $L,\n    B, $L, $L, $L, $L, $L);\n",
                  e.kernels(), e.ref(att), e.ref(lse), e.ref(q), width, e.ref(kv), e.ref(kv, width), 2 * width,
                  tk * 2 * width, e.sequence(y), tk, heads, d, causal)
              .add(outProjection(e, y, att, wo, bo, width))
              .build());
      return;
    }
    Buffer qkv = c.saveBuffer("qkv", Shape.of(t, 3 * width));
    int cache = c.kvCache(2 * width);
    c.step("q, k, v = x·in_projᵀ + in_proj_bias (one matmul); " + formula(),
        List.of(x, w, b, wo, bo), List.of(qkv, att, lse, y), false, e -> {
          CodeBlock.Builder code = CodeBlock.builder()
              .add("// q | k | v (B·$L, 3·$L) in one matmul\n", e.decoding() ? "1" : String.valueOf(t), width)
              .add("$L.denseForward($L, $L, $L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(qkv), e.none(),
                  e.ref(x), e.ref(w), e.ref(b), e.rows(qkv), 3 * width, width, e.act(ActivationFn.NONE), e.literal(0), e.weightsVersion());
          if (e.decoding()) {
            code.add("// append this position's k | v to the cache, (context $L, 2·$L) from offset $L\n", t, width, cache)
                .add("$L.copyRows($L, $L + position * $L, $L, $L, $L, 1, $L);\n", e.kernels(), e.cache(), cache,
                    2 * width, 2 * width, e.ref(qkv, width), 3 * width, 2 * width)
                .add("// attend from this position over the cached positions 0..position\n")
                .add("$L.attentionForward($L, null, 0,\n    $L, $L, $L, $L, $L, $L, $L, $L,\n"
                        + "    1, 1, position + 1, $L, $L, $L);\n",
                    e.kernels(), e.ref(att), e.ref(qkv), 3 * width, e.cache(), cache, e.cache(), cache + width,
                    2 * width, t * 2 * width, heads, d, causal);
          } else {
            code.add("// per example and head: softmax(q·kᵀ/√$L$L)·v, one pass per query row (online softmax)\n", d,
                    causal ? ", causal" : "")
                .add("$L.attentionForward($L, $L,\n    $L, $L, $L, $L, $L, $L,\n    B, $L, $L, $L, $L, $L);\n",
                    e.kernels(), e.ref(att), e.ref(lse), e.ref(qkv), 3 * width, e.ref(qkv, width),
                    e.ref(qkv, 2 * width), 3 * width, t * 3 * width, t, t, heads, d, causal);
          }
          return code.add(outProjection(e, y, att, wo, bo, width)).build();
        });
  }

  private static CodeBlock outProjection(dev.nabla.processor.plan.Emit e, Buffer y, Buffer att, Buffer wo, Buffer bo,
      int width) {
    return CodeBlock.builder().add("// y = heads·out_projᵀ + out_proj.bias\n")
        .add("$L.denseForward($L, $L, $L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(y), e.none(),
            e.ref(att), e.ref(wo), e.ref(bo), e.rows(y), width, width, e.act(ActivationFn.NONE), e.literal(0), e.weightsVersion())
        .build();
  }

  @Override
  public void backward(BackwardContext c) {
    Buffer x = c.in(0), dy = c.gradOut(), y = c.out();
    Buffer w = c.param("in_proj_weight"), wo = c.param("out_proj.weight");
    Buffer dw = c.paramGrad("in_proj_weight"), db = c.paramGrad("in_proj_bias");
    Buffer dwo = c.paramGrad("out_proj.weight"), dbo = c.paramGrad("out_proj.bias");
    Buffer att = c.saved("heads"), lse = c.saved("logsumexp");
    int width = y.shape().features(), t = y.shape().dim(0), d = headDim(y);
    Buffer datt = c.scratch("gradient of heads", y.shape());
    List<Buffer> reads = new ArrayList<>(List.of(dy, x, w, wo, att, lse));
    List<Buffer> writes = new ArrayList<>(List.of(dw, db, dwo, dbo, datt));
    boolean toX = c.needsGrad(0);
    if (toX) writes.add(c.gradIn(0));
    for (int slot = 0; slot < c.node().inputs().size(); slot++) {
      if (c.needsGrad(slot) && c.fold(slot) != ActivationFn.NONE) reads.add(c.foldSaved(slot));
    }
    if (!cross) {
      Buffer qkv = c.saved("qkv");
      Buffer dqkv = c.scratch("gradient of qkv", qkv.shape());
      reads.add(qkv);
      writes.add(dqkv);
      c.step("out_proj backward; attention backward per (example, head), fused per query row; in_proj backward",
          reads, writes, e -> CodeBlock.builder()
              .add(outProjectionBackward(e, dy, att, wo, dwo, dbo, datt, width))
              .add("// dq | dk | dv (B·$L, 3·$L), recomputing the probabilities from the saved log-sum-exp\n", t, width)
              .add("$L.attentionBackward($L, $L, $L,\n    $L, $L, $L,\n    $L, $L, $L, $L, $L,\n"
                      + "    B, $L, $L, $L, $L, $L);\n",
                  e.kernels(), e.ref(dqkv), e.ref(dqkv, width), e.ref(dqkv, 2 * width), e.ref(datt), e.ref(att),
                  e.ref(lse), e.ref(qkv), 3 * width, e.ref(qkv, width), e.ref(qkv, 2 * width), 3 * width, t, t, heads,
                  d, causal)
              .add(inProjectionBackward(e, c, 0, dqkv, x, w, dw, db, 0, 3 * width, width, e.rows(dqkv)))
              .build());
      return;
    }
    Buffer m = c.in(1), q = c.saved("q"), kv = c.saved("kv");
    int tk = m.shape().dim(0);
    Buffer dq = c.scratch("gradient of q", q.shape()), dkv = c.scratch("gradient of kv", kv.shape());
    reads.addAll(List.of(m, q, kv));
    writes.addAll(List.of(dq, dkv));
    if (c.needsGrad(1)) writes.add(c.gradIn(1));
    c.step("out_proj backward; attention backward per (example, head), fused per query row; in_proj backward to"
            + " the query and the memory", reads, writes, e -> CodeBlock.builder()
        .add(outProjectionBackward(e, dy, att, wo, dwo, dbo, datt, width))
        .add("// dq (B·$L, $L) and dk | dv (B·$L, 2·$L), recomputing the probabilities from the log-sum-exp\n", t,
            width, tk, width)
        .add("$L.attentionBackward($L, $L, $L,\n    $L, $L, $L,\n    $L, $L, $L, $L, $L,\n"
                + "    B, $L, $L, $L, $L, $L);\n",
            e.kernels(), e.ref(dq), e.ref(dkv), e.ref(dkv, width), e.ref(datt), e.ref(att), e.ref(lse), e.ref(q),
            width, e.ref(kv), e.ref(kv, width), 2 * width, t, tk, heads, d, causal)
        .add(inProjectionBackward(e, c, 0, dq, x, w, dw, db, 0, width, width, e.rows(dq)))
        .add(inProjectionBackward(e, c, 1, dkv, m, w, dw, db, width, 2 * width, width, CodeBlock.of("B * $L", tk)))
        .build());
  }

  private static CodeBlock outProjectionBackward(dev.nabla.processor.plan.Emit e, Buffer dy, Buffer att, Buffer wo,
      Buffer dwo, Buffer dbo, Buffer datt, int width) {
    return CodeBlock.builder()
        .add("// out_proj: dheads = dy·W_out; dW_out = dyᵀ·heads; db_out = Σ dy\n")
        .add("$L.denseBackwardInput($L, $L, $L, $L,\n    $L, $L, $L, false, $L, $L);\n", e.kernels(), e.ref(datt),
            e.ref(dy), e.ref(wo), e.none(), e.rows(dy), width, width, e.act(ActivationFn.NONE), e.literal(0))
        .add("$L.denseBackwardWeight($L, $L, $L, $L,\n    $L, $L, $L, false);\n", e.kernels(), e.ref(dwo), e.ref(dbo),
            e.ref(dy), e.ref(att), e.rows(dy), width, width)
        .build();
  }

  /** The backward of rows [row0, row0 + n) of in_proj, applied to input {@code slot}. */
  private static CodeBlock inProjectionBackward(dev.nabla.processor.plan.Emit e, BackwardContext c, int slot,
      Buffer dproj, Buffer in, Buffer w, Buffer dw, Buffer db, int row0, int n, int width, CodeBlock rows) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (c.needsGrad(slot)) {
      ActivationFn fold = c.fold(slot);
      code.add("// d$L = d$L·W$L\n", slot == 0 ? "x" : "memory", n == width ? "q" : n == 2 * width ? "kv" : "qkv",
              fold == ActivationFn.NONE ? "" : " ⊙ " + fold.name().toLowerCase() + "'")
          .add("$L.denseBackwardInput($L, $L, $L, $L,\n    $L, $L, $L, $L, $L, $L);\n", e.kernels(), e.ref(c.gradIn(slot)),
              e.ref(dproj), e.ref(w, row0 * width), fold == ActivationFn.NONE ? e.none() : e.ref(c.foldSaved(slot)),
              rows, n, width, c.accumulate(slot), e.act(fold), e.literal(c.foldParam(slot)));
    }
    return code.add("$L.denseBackwardWeight($L, $L, $L, $L,\n    $L, $L, $L, false);\n", e.kernels(),
        e.ref(dw, row0 * width), e.ref(db, row0), e.ref(dproj), e.ref(in), rows, n, width).build();
  }
}
