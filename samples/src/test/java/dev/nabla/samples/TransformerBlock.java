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
 * One pre-norm transformer block on a (6, 16) sequence of features, 4 heads, causal, feed-forward
 * width 48: torch's {@code nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=48,
 * dropout=0.0, activation="gelu", batch_first=True, norm_first=True)} run with a causal src_mask.
 * The field names are torch's, so the parameters are named as its state_dict ({@code
 * self_attn.in_proj_weight}, {@code linear1.weight}, {@code norm1.bias}, ...). MSE, so predict()
 * returns the block's output. See make_transformer_fixture.py and TransformerParityTest.
 */
@Model(input = @Shape({6, 16}), loss = Loss.MSE, precision = {Precision.F32, Precision.F64})
abstract class TransformerBlock {
  @Layer LayerNorm norm1;
  @Attention(heads = 4, causal = true) SelfAttention self_attn;
  @Layer(from = {"input", "self_attn"}) Add res1;
  @Layer LayerNorm norm2;
  @Layer(units = 48, activation = Activation.GELU) Dense linear1;
  @Layer(units = 16) Dense linear2;
  @Layer(from = {"res1", "linear2"}) Add res2;
}
