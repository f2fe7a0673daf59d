package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Add;
import dev.nabla.dsl.Attention;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.LayerNorm;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Precision;
import dev.nabla.dsl.SelfAttention;
import dev.nabla.dsl.Shape;

/**
 * {@link TransformerBlock} without the causal mask: every position attends to every position, as
 * the same torch layer run with no src_mask. Same parameter names and shapes, so it loads the same
 * weight files.
 */
@Model(input = @Shape({6, 16}), loss = Loss.MSE, precision = {Precision.F32, Precision.F64})
abstract class TransformerBlockFull {
  @Layer LayerNorm norm1;
  @Attention(heads = 4) SelfAttention self_attn;
  @Layer(from = {"input", "self_attn"}) Add res1;
  @Layer LayerNorm norm2;
  @Layer(units = 48, activation = Activation.GELU) Dense linear1;
  @Layer(units = 16) Dense linear2;
  @Layer(from = {"res1", "linear2"}) Add res2;
}
