package dev.nabla.processor;

/** Small transformer declarations shared by the transformer tests. */
final class TransformerModels {
  private TransformerModels() {}

  /** A two-block pre-norm GPT: vocab 7, context 5, width 8, 2 heads. */
  static final String[] TINY_GPT = {
    "package test;",
    "import dev.nabla.dsl.*;",
    "@Model(input = @Shape(value = 5, vocab = 7), loss = Loss.SOFTMAX_CROSS_ENTROPY,",
    "    precision = {Precision.F32, Precision.F64})",
    "@Optimizer(type = OptimizerType.ADAMW, learningRate = 0.01, weightDecay = 0.1)",
    "abstract class TinyGpt {",
    "  @Block static abstract class GptBlock {",
    "    @Layer LayerNorm ln1;",
    "    @Attention(heads = 2, causal = true) SelfAttention attn;",
    "    @Layer(from = {\"input\", \"attn\"}) Add res1;",
    "    @Layer LayerNorm ln2;",
    "    @Layer(units = 12, activation = Activation.GELU) Dense up;",
    "    @Layer(units = 8) Dense down;",
    "    @Layer(from = {\"res1\", \"down\"}) Add res2;",
    "  }",
    "  @Layer(units = 8) Embedding tok;",
    "  @Layer PositionalEmbedding pos;",
    "  @Layer(repeat = 2) GptBlock blocks;",
    "  @Layer LayerNorm lnf;",
    "  @Layer(units = 7) Dense head;",
    "}"
  };

  /**
   * An encoder-decoder: source of 4 tokens (vocab 6), decoder input of 5 tokens (vocab 7), width 8,
   * 2 heads, sinusoidal positions, post-norm encoder, decoder with causal self-attention and
   * cross-attention over the encoder.
   */
  static final String[] TINY_SEQ2SEQ = {
    "package test;",
    "import dev.nabla.dsl.*;",
    "@Model(input = @Shape(value = 4, vocab = 6), loss = Loss.SOFTMAX_CROSS_ENTROPY,",
    "    precision = {Precision.F32, Precision.F64})",
    "abstract class TinySeq2Seq {",
    "  @Block static abstract class Encoder {",
    "    @Attention(heads = 2) SelfAttention attn;",
    "    @Layer(from = {\"input\", \"attn\"}) Add res1;",
    "    @Layer LayerNorm ln1;",
    "    @Layer(units = 10, activation = Activation.RELU) Dense up;",
    "    @Layer(units = 8) Dense down;",
    "    @Layer(from = {\"ln1\", \"down\"}) Add res2;",
    "    @Layer LayerNorm ln2;",
    "  }",
    "  @Block static abstract class Decoder {",
    "    @Layer LayerNorm ln1;",
    "    @Attention(heads = 2, causal = true) SelfAttention self;",
    "    @Layer(from = {\"input\", \"self\"}) Add res1;",
    "    @Layer LayerNorm ln2;",
    "    @Attention(heads = 2, memory = \"memory\") CrossAttention cross;",
    "    @Layer(from = {\"res1\", \"cross\"}) Add res2;",
    "    @Layer LayerNorm ln3;",
    "    @Layer(units = 10, activation = Activation.GELU) Dense up;",
    "    @Layer(units = 8) Dense down;",
    "    @Layer(from = {\"res2\", \"down\"}) Add res3;",
    "  }",
    "  @Input(@Shape(value = 5, vocab = 7)) Tokens target;",
    "  @Layer(units = 8) Embedding srcTok;",
    "  @Layer SinusoidalEncoding srcPos;",
    "  @Layer(repeat = 2) Encoder encoder;",
    "  @Layer LayerNorm memory;",
    "  @Layer(units = 8, from = \"target\") Embedding tgtTok;",
    "  @Layer(context = 9) SinusoidalEncoding tgtPos;",
    "  @Layer(repeat = 2) Decoder decoder;",
    "  @Layer LayerNorm lnf;",
    "  @Layer(units = 7) Dense head;",
    "}"
  };
}
