package dev.nabla.runtime.text;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Generates text from a {@link LanguageModel} one token at a time, streaming each token to a
 * callback as soon as it is drawn. The model's KV cache is reset, the prompt is fed token by token
 * (each position computed once), then each new token is drawn by a {@link Sampler} from the logits
 * of the last token fed and fed in turn. The same model weights, prompt, settings and seed give the
 * same tokens.
 *
 * <p><b>Sliding window.</b> When a token is to be fed and the cache is full
 * ({@code cachedTokens() == contextLength()}), the cache is reset and the last
 * {@code contextLength() / 2} tokens before that token (the prompt and generated tokens together)
 * are fed again, then the token itself; from then on the model sees at most the last
 * {@code contextLength()} tokens and never fewer than half. This recomputes half a context once
 * every {@code ⌈contextLength() / 2⌉} tokens, instead of a whole context for every token. A
 * prompt longer than the context slides the same way while it is fed.
 *
 * <p>Each call allocates its buffers once (logits, the token history, the sampler); nothing is
 * allocated per token beyond what the callback does.
 */
public final class Generator {
  private Generator() {}

  /**
   * Feeds {@code prompt} (not empty) to {@code model} and draws {@code maxNewTokens} tokens after
   * it, passing each to {@code onToken} as it is drawn; returns the new tokens. Temperature 0 (or
   * {@code topK == 1}) is greedy; {@code topK ≤ 0} samples from the whole vocabulary (see
   * {@link Sampler}). The last token drawn is not fed, since nothing follows it; with
   * {@code maxNewTokens == 0} nothing is fed at all (the arguments are still checked).
   */
  public static int[] generate(LanguageModel model, int[] prompt, int maxNewTokens, double temperature, int topK,
      long seed, IntConsumer onToken) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(onToken, "onToken");
    if (prompt.length == 0) {
      throw new IllegalArgumentException("the prompt is empty: give at least one token (a start token such as <bos>)");
    }
    if (maxNewTokens < 0) throw new IllegalArgumentException("maxNewTokens must be at least 0, got " + maxNewTokens);
    int vocabulary = model.vocabularySize();
    int context = model.contextLength();
    if (context <= 0) throw new IllegalStateException("the model's context length is " + context);
    for (int i = 0; i < prompt.length; i++) {
      if (prompt[i] < 0 || prompt[i] >= vocabulary) {
        throw new IllegalArgumentException("prompt token " + prompt[i] + " at position " + i + " is outside [0, "
            + vocabulary + ")");
      }
    }
    if (!(temperature >= 0) || Double.isInfinite(temperature)) { // fail before any work
      throw new IllegalArgumentException("temperature must be finite and at least 0, got " + temperature);
    }
    Sampler sampler = new Sampler(vocabulary, seed);
    int[] history = new int[Math.addExact(prompt.length, maxNewTokens)];
    System.arraycopy(prompt, 0, history, 0, prompt.length);
    float[] logits = new float[vocabulary];
    int[] out = new int[maxNewTokens];
    if (maxNewTokens == 0) return out;
    model.resetCache();
    for (int i = 0; i < prompt.length; i++) feed(model, history, i, logits, context);
    int length = prompt.length;
    for (int j = 0; j < maxNewTokens; j++) {
      int token = sampler.sample(logits, temperature, topK);
      history[length] = token;
      out[j] = token;
      onToken.accept(token);
      if (j + 1 < maxNewTokens) feed(model, history, length, logits, context);
      length++;
    }
    return out;
  }

  /**
   * Generates text after {@code prompt}: the prompt is encoded by {@code tokenizer} (an empty one
   * becomes the tokenizer's {@linkplain Tokenizer#startToken() start token}, or is an
   * IllegalArgumentException if it has none), tokens are drawn as by
   * {@link #generate(LanguageModel, int[], int, double, int, long, IntConsumer)}, and each new
   * token's {@linkplain Tokenizer#piece text piece} goes to {@code onText} as it is drawn. Returns
   * the new text (the pieces joined). The tokenizer's vocabulary must be the model's.
   */
  public static String generate(LanguageModel model, Tokenizer tokenizer, String prompt, int maxNewTokens,
      double temperature, int topK, long seed, Consumer<String> onText) {
    Objects.requireNonNull(onText, "onText");
    if (tokenizer.vocabularySize() != model.vocabularySize()) {
      throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabularySize()
          + " tokens but the model " + model.vocabularySize());
    }
    int[] ids = tokenizer.encode(prompt);
    if (ids.length == 0) {
      int start = tokenizer.startToken();
      if (start < 0) {
        throw new IllegalArgumentException("the prompt " + (prompt.isEmpty() ? "is empty" : "has no tokens")
            + " and the tokenizer has no start token: give a prompt");
      }
      ids = new int[] {start};
    }
    StringBuilder text = new StringBuilder();
    int[] previous = {ids[ids.length - 1]};
    generate(model, ids, maxNewTokens, temperature, topK, seed, token -> {
      String piece = tokenizer.piece(previous[0], token);
      previous[0] = token;
      text.append(piece);
      onText.accept(piece);
    });
    return text.toString();
  }

  /** Feeds {@code history[i]}, sliding the window first if the cache is full; leaves its logits. */
  private static void feed(LanguageModel model, int[] history, int i, float[] logits, int context) {
    if (model.cachedTokens() >= context) {
      int keep = context / 2;
      model.resetCache();
      for (int p = i - keep; p < i; p++) model.decode(history[p], logits);
    }
    model.decode(history[i], logits);
  }
}
