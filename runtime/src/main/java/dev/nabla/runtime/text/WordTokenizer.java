package dev.nabla.runtime.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simple word-level tokenizer. Text (lower-cased with {@link Locale#ROOT} if asked) is split by
 * {@link #TOKEN} into runs of letters, runs of digits and single other non-space characters
 * (punctuation); whitespace is dropped. The vocabulary holds {@value #UNK} (id 0, which every token
 * outside the vocabulary becomes), then the chosen {@linkplain Special special tokens} in the order
 * {@code <bos>}, {@code <eos>}, {@code <pad>}, then the most frequent tokens of the training text
 * (ties in alphabetical order), {@code maxVocab} ids in all.
 *
 * <p>{@link #encode} never adds special tokens: put {@link #bos()} and {@link #eos()} around a
 * sequence yourself. {@link #decode} joins tokens with single spaces, with no space before a
 * punctuation token and none after {@code <bos>}; special tokens decode to nothing, {@code <unk>}
 * to itself. Whitespace (and, with lower-casing, letter case) is therefore not restored:
 * {@code "Don't  stop."} decodes back as {@code "Don' t stop."}.
 *
 * <p>The vocabulary file is {@code {"type": "word", "lowercase": true, "tokens": ["<unk>", ...]}}.
 */
public final class WordTokenizer implements Tokenizer {
  /** A token: letters, digits, or one other non-space character. */
  public static final Pattern TOKEN = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]");
  /** The unknown token, always id 0. */
  public static final String UNK = "<unk>";

  /** The optional special tokens; none of them can come out of {@link #TOKEN}, so none collides with a word. */
  public enum Special {
    BOS("<bos>"),
    EOS("<eos>"),
    PAD("<pad>");

    private final String text;

    Special(String text) {
      this.text = text;
    }

    /** The token as written in the vocabulary: {@code <bos>}, {@code <eos>} or {@code <pad>}. */
    public String text() {
      return text;
    }
  }

  private final String[] tokens;
  private final Map<String, Integer> ids;
  private final boolean lowerCase;
  private final int bos;
  private final int eos;
  private final int pad;
  private final String[] spaced; // " " + token, or the token for punctuation, "" for specials
  private final String[] bare; // the piece at the start of a text

  private WordTokenizer(String[] tokens, boolean lowerCase) {
    this.tokens = tokens;
    this.lowerCase = lowerCase;
    this.ids = new HashMap<>(tokens.length * 2);
    for (int k = 0; k < tokens.length; k++) ids.put(tokens[k], k);
    this.bos = ids.getOrDefault(Special.BOS.text, -1);
    this.eos = ids.getOrDefault(Special.EOS.text, -1);
    this.pad = ids.getOrDefault(Special.PAD.text, -1);
    this.spaced = new String[tokens.length];
    this.bare = new String[tokens.length];
    for (int k = 0; k < tokens.length; k++) {
      boolean special = k == bos || k == eos || k == pad;
      bare[k] = special ? "" : tokens[k];
      spaced[k] = special || isPunctuation(tokens[k]) ? bare[k] : " " + tokens[k];
    }
  }

  private static final Pattern PUNCTUATION = Pattern.compile("[^\\s\\p{L}\\p{N}]");

  private static boolean isPunctuation(String token) {
    return PUNCTUATION.matcher(token).matches();
  }

  /**
   * The vocabulary of {@code text}: {@code <unk>}, the given special tokens, then its most frequent
   * tokens, {@code maxVocab} ids at most (fewer if the text has fewer distinct tokens).
   */
  public static WordTokenizer train(String text, int maxVocab, boolean lowerCase, Special... specials) {
    EnumSet<Special> chosen = EnumSet.noneOf(Special.class);
    chosen.addAll(Arrays.asList(specials));
    if (maxVocab < 1 + chosen.size()) {
      throw new IllegalArgumentException("maxVocab " + maxVocab + " leaves no room for a word after <unk> and "
          + chosen.size() + " special tokens");
    }
    Map<String, int[]> counts = new HashMap<>();
    Matcher m = TOKEN.matcher(lowerCase ? text.toLowerCase(Locale.ROOT) : text);
    while (m.find()) counts.computeIfAbsent(m.group(), k -> new int[1])[0]++;
    List<Map.Entry<String, int[]>> byCount = new ArrayList<>(counts.entrySet());
    byCount.sort(Comparator.<Map.Entry<String, int[]>>comparingInt(e -> -e.getValue()[0])
        .thenComparing(Map.Entry::getKey));
    List<String> vocab = new ArrayList<>();
    vocab.add(UNK);
    for (Special s : chosen) vocab.add(s.text);
    for (int k = 0; k < byCount.size() && vocab.size() < maxVocab; k++) vocab.add(byCount.get(k).getKey());
    return new WordTokenizer(vocab.toArray(String[]::new), lowerCase);
  }

  /** The tokens of {@code text} as strings, split (and lower-cased) as {@link #encode} does. */
  public List<String> split(String text) {
    return split(text, lowerCase);
  }

  /** The tokens of {@code text} as strings, split by {@link #TOKEN} after lower-casing if asked. */
  public static List<String> split(String text, boolean lowerCase) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(lowerCase ? text.toLowerCase(Locale.ROOT) : text);
    while (m.find()) out.add(m.group());
    return out;
  }

  @Override
  public String type() {
    return "word";
  }

  @Override
  public int vocabularySize() {
    return tokens.length;
  }

  /** Whether text is lower-cased before it is split. */
  public boolean lowerCase() {
    return lowerCase;
  }

  /** The id of {@code <unk>}: 0. */
  public int unknown() {
    return 0;
  }

  /** The id of {@code <bos>}, or -1 if the vocabulary has none. */
  public int bos() {
    return bos;
  }

  /** The id of {@code <eos>}, or -1 if the vocabulary has none. */
  public int eos() {
    return eos;
  }

  /** The id of {@code <pad>}, or -1 if the vocabulary has none. */
  public int pad() {
    return pad;
  }

  /** The id of {@code token} (as the vocabulary stores it), or -1. */
  public int id(String token) {
    return ids.getOrDefault(token, -1);
  }

  /** The token ids of {@code text}; a token outside the vocabulary is {@code <unk>} (0). */
  @Override
  public int[] encode(String text) {
    Matcher m = TOKEN.matcher(lowerCase ? text.toLowerCase(Locale.ROOT) : text);
    int[] out = new int[Math.max(16, text.length() / 4)];
    int n = 0;
    while (m.find()) {
      if (n == out.length) out = Arrays.copyOf(out, out.length * 2);
      out[n++] = ids.getOrDefault(m.group(), 0);
    }
    return Arrays.copyOf(out, n);
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder b = new StringBuilder(ids.length * 6);
    int previous = -1;
    for (int k = 0; k < ids.length; k++) {
      checkId(ids[k], k);
      b.append(piece(previous, ids[k]));
      previous = ids[k];
    }
    return b.toString();
  }

  /** The token, preceded by a space unless it is punctuation or follows nothing or {@code <bos>}; "" for a special token. */
  @Override
  public String piece(int previous, int token) {
    checkId(token, -1);
    return previous < 0 || previous == bos ? bare[token] : spaced[token];
  }

  @Override
  public String token(int id) {
    return tokens[checkId(id, -1)];
  }

  /** {@code <bos>}'s id, or -1. */
  @Override
  public int startToken() {
    return bos;
  }

  @Override
  public void save(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type());
    m.put("lowercase", lowerCase);
    m.put("tokens", List.of(tokens));
    VocabularyFile.write(file, m);
  }

  /** Reads a {@code "word"} vocabulary file; use {@link Tokenizer#load} to read either kind. */
  public static WordTokenizer load(Path file) throws IOException {
    Tokenizer t = Tokenizer.load(file);
    if (t instanceof WordTokenizer w) return w;
    throw new VocabularyFormatException(file + ": a \"" + t.type() + "\" vocabulary, not a \"word\" one");
  }

  static WordTokenizer fromMap(Map<String, Object> map, String source) throws VocabularyFormatException {
    VocabularyFile.requireKeys(map, source, Set.of("type", "lowercase", "tokens"), Set.of());
    boolean lower = VocabularyFile.bool(map, "lowercase", source);
    List<String> tokens = VocabularyFile.strings(map, "tokens", source);
    if (tokens.isEmpty() || !UNK.equals(tokens.get(0))) {
      throw new VocabularyFormatException(source + ": token 0 must be \"" + UNK + "\"");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int k = 0; k < tokens.size(); k++) {
      String t = tokens.get(k);
      Integer before = seen.putIfAbsent(t, k);
      if (before != null) {
        throw new VocabularyFormatException(source + ": token " + k + " \"" + t + "\" repeats token " + before);
      }
      if (k == 0) continue;
      boolean special = false;
      for (Special s : Special.values()) special |= s.text.equals(t);
      if (!special && !TOKEN.matcher(t).matches()) {
        StringBuilder q = new StringBuilder();
        VocabularyFile.quote(q, t);
        throw new VocabularyFormatException(source + ": token " + k + " " + q
            + " is neither a special token nor a word, a number or one punctuation character");
      }
    }
    return new WordTokenizer(tokens.toArray(String[]::new), lower);
  }

  private int checkId(int id, int position) {
    if (id < 0 || id >= tokens.length) {
      throw new IllegalArgumentException("token id " + id + (position >= 0 ? " at position " + position : "")
          + " is outside [0, " + tokens.length + ")");
    }
    return id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WordTokenizer w && w.lowerCase == lowerCase && Arrays.equals(w.tokens, tokens);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(tokens) * 2 + (lowerCase ? 1 : 0);
  }

  @Override
  public String toString() {
    return "WordTokenizer[" + tokens.length + " tokens" + (lowerCase ? ", lower-case" : "") + "]";
  }
}
