package dev.nabla.processor.plan;

import dev.nabla.processor.graph.Shape;

import dev.nabla.processor.ops.ActivationFn;
import java.util.List;

/**
 * What an op's backward rule sees. {@link #gradOut()} is the gradient with respect to the op's
 * pre-activation (for an activation-only op, to its output). For each input that needs a gradient
 * the rule writes {@link #gradIn} (overwriting, or adding when {@link #accumulate} says another
 * consumer wrote first) and, when {@link #fold} is not NONE, multiplies the finished sum by that
 * activation's derivative at {@link #foldSaved}.
 */
public interface BackwardContext extends NodeContext {

  Buffer gradOut();

  Buffer param(String suffix);

  Buffer paramGrad(String suffix);

  /** A buffer this node saved in its forward ({@link ForwardContext#saveBuffer}). */
  Buffer saved(String suffix);

  boolean needsGrad(int slot);

  /** The gradient buffers of every input that needs one. */
  default List<Buffer> inputGradients() {
    List<Buffer> grads = new java.util.ArrayList<>();
    for (int i = 0; i < node().inputs().size(); i++) if (needsGrad(i)) grads.add(gradIn(i));
    return grads;
  }

  Buffer gradIn(int slot);

  boolean accumulate(int slot);

  ActivationFn fold(int slot);

  double foldParam(int slot);

  Buffer foldSaved(int slot);

  void step(String what, List<Buffer> reads, List<Buffer> writes, Renderer r);

  /** A per-example work buffer that lives only within this node's backward steps. */
  Buffer scratch(String label, Shape shape);
}
