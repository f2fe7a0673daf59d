package dev.nabla.runtime.text;

/**
 * A next-token model that decodes one token at a time with a KV cache: the generated model of a
 * {@code @Model} whose input is a token sequence and whose output is the next-token logits at every
 * position implements it. Feeding a token computes only that token's position; the keys and values
 * of the earlier positions come from the cache.
 */
public interface LanguageModel {

  /** The longest sequence the model can attend over (its declared context). */
  int contextLength();

  /** The number of token ids, the length of each logits vector. */
  int vocabularySize();

  /** Empties the KV cache: the next token fed is at position 0. */
  void resetCache();

  /** Tokens in the cache: the position of the next token fed. */
  int cachedTokens();

  /**
   * Feeds {@code token} at position {@link #cachedTokens()} and writes the logits of the token that
   * follows it into {@code logits[0, vocabularySize())}. Allocates nothing. An IllegalStateException
   * when the cache already holds {@link #contextLength()} tokens; an IllegalArgumentException for a
   * token outside [0, vocabularySize()).
   */
  void decode(int token, float[] logits);
}
