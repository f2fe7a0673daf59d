package dev.nabla.samples;

import dev.nabla.dsl.Activation;
import dev.nabla.dsl.Add;
import dev.nabla.dsl.Attention;
import dev.nabla.dsl.Block;
import dev.nabla.dsl.CrossAttention;
import dev.nabla.dsl.Dense;
import dev.nabla.dsl.Embedding;
import dev.nabla.dsl.Input;
import dev.nabla.dsl.Layer;
import dev.nabla.dsl.LayerNorm;
import dev.nabla.dsl.Loss;
import dev.nabla.dsl.Model;
import dev.nabla.dsl.Optimizer;
import dev.nabla.dsl.OptimizerType;
import dev.nabla.dsl.PositionalEmbedding;
import dev.nabla.dsl.Schedule;
import dev.nabla.dsl.SelfAttention;
import dev.nabla.dsl.Shape;
import dev.nabla.dsl.Tokens;

/**
 * An encoder-decoder transformer that reverses a string of 8 digits. The encoder reads the digits
 * (vocab 10); the decoder reads the start token 10 followed by the reversed digits so far (teacher
 * forcing in training) and predicts, at each of its 8 positions, the next reversed digit, attending
 * to the encoder's output through cross-attention. Pre-norm blocks, width 64, 4 heads.
 */
@Model(input = @Shape(value = DigitReverser.LENGTH, vocab = 10), loss = Loss.SOFTMAX_CROSS_ENTROPY)
@Optimizer(type = OptimizerType.ADAM, learningRate = 2e-3, clipNorm = 1.0, schedule = @Schedule(warmupSteps = 100))
public abstract class DigitReverser {
  /** Digits per string. */
  public static final int LENGTH = 8;
  /** The decoder's start token: one past the digits. */
  public static final int START = 10;

  /** Pre-norm encoder block: self-attention over the whole source, then a GELU feed-forward. */
  @Block
  abstract static class EncoderBlock {
    @Layer LayerNorm ln1;
    @Attention(heads = 4) SelfAttention attn;
    @Layer(from = {"input", "attn"}) Add res1;
    @Layer LayerNorm ln2;
    @Layer(units = 128, activation = Activation.GELU) Dense up;
    @Layer(units = 64) Dense down;
    @Layer(from = {"res1", "down"}) Add res2;
  }

  /** Pre-norm decoder block: causal self-attention, cross-attention over the encoder, feed-forward. */
  @Block
  abstract static class DecoderBlock {
    @Layer LayerNorm ln1;
    @Attention(heads = 4, causal = true) SelfAttention self;
    @Layer(from = {"input", "self"}) Add res1;
    @Layer LayerNorm ln2;
    @Attention(heads = 4, memory = "memory") CrossAttention cross;
    @Layer(from = {"res1", "cross"}) Add res2;
    @Layer LayerNorm ln3;
    @Layer(units = 128, activation = Activation.GELU) Dense up;
    @Layer(units = 64) Dense down;
    @Layer(from = {"res2", "down"}) Add res3;
  }

  /** The decoder's input: the start token, then the first 7 reversed digits. */
  @Input(@Shape(value = LENGTH, vocab = 11)) Tokens target;

  @Layer(units = 64) Embedding srcTok;
  @Layer PositionalEmbedding srcPos;
  @Layer(repeat = 2) EncoderBlock encoder;
  @Layer LayerNorm memory;

  @Layer(units = 64, from = "target") Embedding tgtTok;
  @Layer PositionalEmbedding tgtPos;
  @Layer(repeat = 2) DecoderBlock decoder;
  @Layer LayerNorm lnf;
  @Layer(units = 11) Dense head;
}
