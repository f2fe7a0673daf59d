package dev.nabla.bench.models;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Add;
import dev.nabla.dsl.Attention;
import dev.nabla.dsl.Block;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Embedding;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.LayerNorm;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.PositionalEmbedding;
import dev.nabla.dsl.SelfAttention;
import dev.nabla.dsl.Shape;

/**
 * Reference model gpt: a pre-norm GPT over 64 tokens of a 65-token vocabulary, width 128, 4 heads,
 * 4 blocks of causal self-attention and a 512-wide GELU MLP (PyTorch's TransformerEncoderLayer with
 * norm_first, dropout 0), token and learned position embeddings, a final LayerNorm and a linear
 * head to 65 logits per position; Adam lr 1e-3, batch 32, cross-entropy over every position.
 */
@Model(input = @Shape(value = 64, vocab = 65), loss = Loss.SOFTMAX_CROSS_ENTROPY)
@Optimizer(type = OptimizerType.ADAM, learningRate = 1e-3)
public abstract class Gpt {

  /** One pre-norm block: x + attn(ln1(x)), then + down(gelu(up(ln2(.)))). */
  @Block
  abstract static class GptBlock {
    @Layer LayerNorm ln1;
    @Attention(heads = 4, causal = true) SelfAttention attn;
    @Layer(from = {"input", "attn"}) Add res1;
    @Layer LayerNorm ln2;
    @Layer(units = 512, activation = Activation.GELU) Dense up;
    @Layer(units = 128) Dense down;
    @Layer(from = {"res1", "down"}) Add res2;
  }

  @Layer(units = 128) Embedding tok;
  @Layer PositionalEmbedding pos;
  @Layer(repeat = 4) GptBlock blocks;
  @Layer LayerNorm lnf;
  @Layer(units = 65) Dense head;
}
