package dev.nabla.samples;

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
import dev.nabla.dsl.Schedule;
import dev.nabla.dsl.ScheduleType;
import dev.nabla.dsl.SelfAttention;
import dev.nabla.dsl.Shape;

/**
 * A character-level GPT: 4 pre-norm blocks of width 128 with 4 heads over a context of 64
 * characters, token and learned position embeddings, a final layer norm and an unembedding to the
 * {@value #VOCAB} characters of {@link FortuneGpt#ALPHABET}. AdamW with a linear warm-up and cosine
 * decay over {@value #STEPS} steps.
 */
@Model(input = @Shape(value = CharGpt.CONTEXT, vocab = CharGpt.VOCAB), loss = Loss.SOFTMAX_CROSS_ENTROPY)
@Optimizer(type = OptimizerType.ADAMW, learningRate = 1e-3, weightDecay = 0.1, clipNorm = 1.0,
    schedule = @Schedule(type = ScheduleType.COSINE, period = CharGpt.STEPS, minLr = 1e-4, warmupSteps = 100))
public abstract class CharGpt {
  public static final int CONTEXT = 64;
  public static final int VOCAB = 96;
  /** The training steps the schedule decays over. */
  public static final int STEPS = 3000;

  /** A pre-norm transformer block: (T, 128) → (T, 128). */
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
  @Layer(units = VOCAB) Dense head;
}
