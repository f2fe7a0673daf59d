package dev.nabla.processor.base;

import javax.tools.Diagnostic;

/**
 * Every message the processor prints, each with a stable tag that users can search for and tests
 * can assert on. Formats use {@link String#format} placeholders.
 */
public enum Message {
  // The declaring class
  MODEL_CLASS_SHAPE("ModelClassShape", "@%s class %s must be %s"),
  MODEL_ABSTRACT_METHOD("ModelAbstractMethod",
      "@Model class %s declares abstract method %s(); the generated %s cannot implement it"),
  NO_LAYERS("NoLayers", "%s declares no @Layer fields"),

  // Fields and layer kinds
  UNKNOWN_LAYER_KIND("UnknownLayerKind",
      "@Layer field '%s' has type %s; a layer's type must be Dense, ActivationLayer, Add, Concat, Dropout, Embedding, PositionalEmbedding, SinusoidalEncoding, LayerNorm or a @Block class"),
  WRONG_ANNOTATION("WrongAnnotation", "'%s' is %s; annotate it with @%s"),
  INPUT_DECLARATION("InputDeclaration", "%s"),
  MISSING_MEMORY("MissingMemory", "CrossAttention '%s' needs memory = the name of the node giving its keys and values"),
  STATIC_LAYER("StaticLayer", "@Layer field '%s' must not be static"),
  RESERVED_NAME("ReservedName", "'%s' is reserved for the network's input; rename the field"),
  ATTRIBUTE_NOT_APPLICABLE("AttributeNotApplicable", "'%s' does not apply to %s layer '%s'%s"),
  OPTIMIZER_ATTRIBUTE_NOT_APPLICABLE("AttributeNotApplicable", "'%s' does not apply to the %s optimiser (it is for %s)"),
  LOSS_ATTRIBUTE_NOT_APPLICABLE("AttributeNotApplicable", "'%s' does not apply to loss %s (it is for %s)"),
  SCHEDULE_ATTRIBUTE_NOT_APPLICABLE("AttributeNotApplicable",
      "'%s' does not apply to the %s schedule (it is for %s)"),
  MISSING_UNITS("MissingUnits", "%s layer '%s' needs units = a positive number of %s"),
  NON_POSITIVE_SIZE("NonPositiveSize", "%s must be positive, was %d"),
  BAD_HYPER_PARAMETER("BadHyperParameter", "%s must be %s, was %s"),
  NESTEROV_WITHOUT_MOMENTUM("NesterovWithoutMomentum",
      "Nesterov momentum needs momentum > 0; set momentum (e.g. 0.9) or remove nesterov"),

  // Wiring
  UNKNOWN_INPUT("UnknownInput", "'%s' reads '%s', which is not a layer of %s%s"),
  SELF_INPUT("CyclicFrom", "'%s' reads itself"),
  CYCLIC_FROM("CyclicFrom", "'%s' reads '%s', which depends on '%s': the wiring has a cycle (%s)"),
  MERGE_ARITY("MergeArity", "%s layer '%s' merges two or more inputs; 'from' names %d"),
  TOO_MANY_INPUTS("TooManyInputs", "%s layer '%s' reads one input; 'from' names %d"),
  RECURSIVE_BLOCK("RecursiveBlock", "block %s contains itself through '%s'"),
  UNUSED_LAYER("UnusedLayer", "'%s' does not reach the output '%s'; it is computed but never used"),

  // Shapes
  SHAPE_MISMATCH("ShapeMismatch", "'%s' %s; %s"),
  LOSS_OUTPUT("LossOutput", "%s"),
  HEADS("HeadsMismatch", "'%s' splits width %d into %d heads; the width must be divisible by the number of heads"),
  SEQUENCE_TOO_LONG("SequenceTooLong", "'%s' covers %d positions (its context), but '%s' is a sequence of %d"),
  TOKEN_INPUT("TokenInput", "'%s' is a %s layer and expects features, but '%s' gives token ids %s; look them up with an Embedding first"),
  NOT_TOKENS("NotTokens", "Embedding '%s' looks up token ids, but '%s' gives features %s; an Embedding reads a token input (@Shape(value = T, vocab = V))"),
  NOT_A_SEQUENCE("NotASequence", "'%s' is a %s layer over a (T, C) sequence, but '%s' has shape %s"),
  VOCABULARY_MISMATCH("VocabularyMismatch",
      "'%s' predicts %d classes per position, but the vocabulary of '%s' has %d tokens; an unembedding's units must equal the vocabulary"),

  // Never expected
  INTERNAL_ERROR("InternalError",
      "the Nabla processor failed on %s; please report this with the stack trace:%n%s");

  private final String tag;
  private final String format;

  Message(String tag, String format) {
    this.tag = tag;
    this.format = format;
  }

  /** The stable tag, e.g. {@code ShapeMismatch}. */
  public String tag() {
    return tag;
  }

  /** The text users see: {@code [Tag] formatted message}. */
  public String format(Object... args) {
    return "[" + tag + "] " + String.format(format, args);
  }

  public Diagnostic.Kind kind() {
    return this == UNUSED_LAYER ? Diagnostic.Kind.WARNING : Diagnostic.Kind.ERROR;
  }
}
