package dev.nabla.runtime.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A fake {@link LanguageModel} for tests: the logits after a token are a fixed row of a table
 * (a bigram model), and it keeps the cache contents and a log of every call so that tests can check
 * what a generator fed. It enforces the interface's contract (full cache, token range).
 */
final class BigramModel implements LanguageModel {
  final int context;
  final float[][] table;
  final int[] cache;
  int cached;
  int decodeCalls;
  int resets;
  /** The cache contents right after each decode, in call order. */
  final List<int[]> snapshots = new ArrayList<>();
  boolean recordSnapshots = true;

  BigramModel(int context, float[][] table) {
    this.context = context;
    this.table = table;
    this.cache = new int[context];
  }

  /** A model whose greedy continuation of token t is (t + 1) mod vocab. */
  static BigramModel successor(int context, int vocab) {
    float[][] t = new float[vocab][vocab];
    for (int i = 0; i < vocab; i++) {
      for (int j = 0; j < vocab; j++) t[i][j] = (float) Math.sin(i * 7 + j * 3); // in [-1, 1]
      t[i][(i + 1) % vocab] = 2f;
    }
    return new BigramModel(context, t);
  }

  @Override
  public int contextLength() {
    return context;
  }

  @Override
  public int vocabularySize() {
    return table.length;
  }

  @Override
  public void resetCache() {
    cached = 0;
    resets++;
  }

  @Override
  public int cachedTokens() {
    return cached;
  }

  @Override
  public void decode(int token, float[] logits) {
    if (cached == context) throw new IllegalStateException("cache full");
    if (token < 0 || token >= table.length) throw new IllegalArgumentException("token " + token);
    cache[cached++] = token;
    decodeCalls++;
    System.arraycopy(table[token], 0, logits, 0, table.length);
    if (recordSnapshots) snapshots.add(Arrays.copyOf(cache, cached));
  }
}
