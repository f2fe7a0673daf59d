package dev.nabla.processor.ops;

import dev.nabla.processor.validation.LayerDecl;

/** Makes the op of a declared layer. */
public final class Ops {
  private Ops() {}

  /** {@code salt} distinguishes the random streams of different dropout nodes. */
  public static Op of(LayerDecl d, int salt) {
    ActivationFn act = ActivationFn.valueOf(d.activation());
    double param = act.param(d.alpha(), d.temperature());
    return switch (d.kind()) {
      case DENSE -> new DenseOp(d.units(), d.bias(), act, param, d.init());
      case ACTIVATION -> new ActivationOp(act, param);
      case ADD -> new AddOp(act, param);
      case CONCAT -> new ConcatOp();
      case DROPOUT -> new DropoutOp(d.rate(), salt);
      case EMBEDDING -> new EmbeddingOp(d.units(), d.init());
      case POSITIONAL -> new PositionsOp(true, d.context());
      case SINUSOIDAL -> new PositionsOp(false, d.context());
      case LAYER_NORM -> new LayerNormOp();
      case SELF_ATTENTION -> new AttentionOp(d.heads(), d.causal(), false);
      case CROSS_ATTENTION -> new AttentionOp(d.heads(), d.causal(), true);
      case BLOCK -> throw new IllegalArgumentException("a block is expanded, not an op: " + d.name());
    };
  }
}
