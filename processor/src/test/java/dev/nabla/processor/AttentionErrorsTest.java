package dev.nabla.processor;

import static dev.nabla.processor.ErrorMessagesTest.expectError;

import org.junit.jupiter.api.Test;

/** The compile-time shape checks of token inputs, embeddings, positions and attention, on the value at fault. */
class AttentionErrorsTest {
  private static final String LM = "@Model(input = @Shape(value = 16, vocab = 30), loss = Loss.SOFTMAX_CROSS_ENTROPY)";

  @Test
  void widthNotDivisibleByHeads() {
    expectError("[HeadsMismatch] 'attn' splits width 30 into 4 heads; the width must be divisible by the number of heads",
        "heads = 4",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 30) Embedding tok;",
        "  @Attention(",
        "      heads = 4, causal = true)",
        "  SelfAttention attn;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void crossAttentionBetweenIncompatibleWidths() {
    expectError("[ShapeMismatch] 'cross' attends from 'dec' (12, 32) over 'enc' (16, 24); the memory's width must"
            + " equal the query's (32)",
        "memory = \"enc\"",
        LM,
        "public abstract class Foo {",
        "  @Input(@Shape(value = 12, vocab = 30)) Tokens target;",
        "  @Layer(units = 24) Embedding enc;",
        "  @Layer(units = 32, from = \"target\") Embedding dec;",
        "  @Attention(heads = 4,",
        "      memory = \"enc\")",
        "  CrossAttention cross;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void sequenceLongerThanTheContext() {
    expectError("[SequenceTooLong] 'pos' covers 8 positions (its context), but 'tok' is a sequence of 16",
        "context = 8",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "  @Layer(",
        "      context = 8)",
        "  PositionalEmbedding pos;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void tokenInputWiredToALayerThatExpectsFeatures() {
    expectError("[TokenInput] 'hidden' is a Dense layer and expects features, but 'input' gives token ids"
            + " (16 tokens, vocab 30); look them up with an Embedding first",
        "@Layer(units = 32) Dense hidden",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Dense hidden;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void tokenInputNamedInFromIsReportedOnTheEntry() {
    expectError("[TokenInput] 'mix' is a LayerNorm layer and expects features, but 'input' gives token ids",
        "\"input\"",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "  @Layer(from =",
        "      \"input\")",
        "  LayerNorm mix;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void embeddingOfFeatures() {
    expectError("[NotTokens] Embedding 'tok' looks up token ids, but 'input' gives features (784)",
        "Embedding tok",
        "@Model(input = @Shape(784), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "}");
  }

  @Test
  void unembeddingOfTheWrongSize() {
    expectError("[VocabularyMismatch] 'head' predicts 29 classes per position, but the vocabulary of 'input' has 30"
            + " tokens; an unembedding's units must equal the vocabulary",
        "units = 29",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "  @Attention(heads = 4, causal = true) SelfAttention attn;",
        "  @Layer(",
        "      units = 29)",
        "  Dense head;",
        "}");
  }

  @Test
  void attentionNeedsASequence() {
    expectError("[NotASequence] 'attn' is a SelfAttention layer over a (T, C) sequence, but 'input' has shape (64)",
        "SelfAttention attn",
        "@Model(input = @Shape(64), loss = Loss.MSE)",
        "public abstract class Foo {",
        "  @Attention(heads = 4) SelfAttention attn;",
        "}");
  }

  @Test
  void crossAttentionWithoutMemory() {
    expectError("[MissingMemory] CrossAttention 'cross' needs memory = the name of the node giving its keys and values",
        "CrossAttention cross",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "  @Attention(heads = 4) CrossAttention cross;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void memoryOnSelfAttention() {
    expectError("[AttributeNotApplicable] 'memory' does not apply to a SelfAttention layer 'attn'",
        "memory = \"tok\"",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "  @Attention(heads = 4,",
        "      memory = \"tok\")",
        "  SelfAttention attn;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void attentionFieldWithLayerAnnotation() {
    expectError("[WrongAnnotation] 'attn' is a SelfAttention; annotate it with @Attention",
        "SelfAttention attn",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "  @Layer SelfAttention attn;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void unknownMemoryName() {
    expectError("[UnknownInput] 'cross' reads 'encoder', which is not a layer of Foo",
        "memory = \"encoder\"",
        LM,
        "public abstract class Foo {",
        "  @Layer(units = 32) Embedding tok;",
        "  @Attention(heads = 4,",
        "      memory = \"encoder\")",
        "  CrossAttention cross;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void inputFieldMustBeTokens() {
    expectError("[InputDeclaration] @Input 'extra' must be a token sequence: @Shape(value = T, vocab = V)",
        "@Shape(8)",
        LM,
        "public abstract class Foo {",
        "  @Input(@Shape(8)) Tokens extra;",
        "  @Layer(units = 32) Embedding tok;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }

  @Test
  void embeddingNeedsUnits() {
    expectError("[MissingUnits] Embedding layer 'tok' needs units = a positive number of features per token",
        "Embedding tok",
        LM,
        "public abstract class Foo {",
        "  @Layer Embedding tok;",
        "  @Layer(units = 30) Dense head;",
        "}");
  }
}
