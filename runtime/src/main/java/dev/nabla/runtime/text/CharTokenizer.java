package dev.nabla.runtime.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A character-level tokenizer: the vocabulary is the sorted set of distinct Unicode code points of
 * a training text, and token id {@code i} is the {@code i}-th smallest of them. A character outside
 * the vocabulary is an {@link IllegalArgumentException} at {@link #encode}, unless a
 * {@linkplain #withFallback fallback} character (one of the vocabulary) was declared: then it is
 * encoded as that.
 *
 * <p>The vocabulary file is {@code {"type": "char", "tokens": ["\n", " ", "!", ...]}} with an
 * optional {@code "fallback": "?"}; each token is one code point, in increasing order.
 */
public final class CharTokenizer implements Tokenizer {
  private final int[] codePoints; // strictly increasing; id = index
  private final String[] pieces; // the text of each id
  private final int fallbackId; // -1: unknown characters are errors

  private CharTokenizer(int[] codePoints, int fallbackId) {
    this.codePoints = codePoints;
    this.fallbackId = fallbackId;
    this.pieces = new String[codePoints.length];
    for (int k = 0; k < codePoints.length; k++) pieces[k] = Character.toString(codePoints[k]);
  }

  /** The tokenizer whose vocabulary is the distinct code points of {@code text} (not empty). */
  public static CharTokenizer train(String text) {
    BitSet seen = new BitSet();
    text.codePoints().forEach(seen::set);
    int[] distinct = seen.stream().toArray(); // increasing
    if (distinct.length == 0) throw new IllegalArgumentException("cannot build a vocabulary from an empty text");
    return new CharTokenizer(distinct, -1);
  }

  /** The tokenizer of the given code points (any order, no repeats, not empty). */
  public static CharTokenizer of(int... codePoints) {
    int[] sorted = codePoints.clone();
    Arrays.sort(sorted);
    if (sorted.length == 0) throw new IllegalArgumentException("a vocabulary needs at least one character");
    for (int k = 0; k < sorted.length; k++) {
      if (!Character.isValidCodePoint(sorted[k])) {
        throw new IllegalArgumentException("not a code point: " + sorted[k]);
      }
      if (k > 0 && sorted[k] == sorted[k - 1]) {
        throw new IllegalArgumentException("character " + describe(sorted[k]) + " is listed twice");
      }
    }
    return new CharTokenizer(sorted, -1);
  }

  /**
   * This vocabulary, encoding characters outside it as {@code fallback}, which must be in it (an
   * {@link IllegalArgumentException} otherwise).
   */
  public CharTokenizer withFallback(int fallback) {
    int id = id(fallback);
    if (id < 0) {
      throw new IllegalArgumentException("the fallback character " + describe(fallback) + " is not in the vocabulary");
    }
    return new CharTokenizer(codePoints, id);
  }

  /** This vocabulary with unknown characters rejected again. */
  public CharTokenizer withoutFallback() {
    return fallbackId < 0 ? this : new CharTokenizer(codePoints, -1);
  }

  /** The fallback character, if one was declared. */
  public OptionalInt fallback() {
    return fallbackId < 0 ? OptionalInt.empty() : OptionalInt.of(codePoints[fallbackId]);
  }

  @Override
  public String type() {
    return "char";
  }

  @Override
  public int vocabularySize() {
    return codePoints.length;
  }

  /** The id of {@code codePoint}, or -1 if it is not in the vocabulary. */
  public int id(int codePoint) {
    int k = Arrays.binarySearch(codePoints, codePoint);
    return k >= 0 ? k : -1;
  }

  /** The code point of token {@code id}. */
  public int codePoint(int id) {
    return codePoints[checkId(id, -1)];
  }

  /**
   * One id per code point of {@code text}. A character outside the vocabulary becomes the fallback
   * if there is one, else it is an {@link IllegalArgumentException} naming the character and its
   * index in {@code text} (a {@code char} index, as {@link String#charAt} counts).
   */
  @Override
  public int[] encode(String text) {
    int[] ids = new int[text.codePointCount(0, text.length())];
    int n = 0;
    for (int at = 0; at < text.length(); ) {
      int cp = text.codePointAt(at);
      int id = id(cp);
      if (id < 0) {
        if (fallbackId < 0) {
          throw new IllegalArgumentException("character " + describe(cp) + " at index " + at
              + " is not in the vocabulary of " + codePoints.length + " characters");
        }
        id = fallbackId;
      }
      ids[n++] = id;
      at += Character.charCount(cp);
    }
    return ids;
  }

  @Override
  public String decode(int[] ids) {
    StringBuilder b = new StringBuilder(ids.length);
    for (int k = 0; k < ids.length; k++) b.appendCodePoint(codePoints[checkId(ids[k], k)]);
    return b.toString();
  }

  @Override
  public String piece(int previous, int token) {
    return pieces[checkId(token, -1)];
  }

  @Override
  public String token(int id) {
    return pieces[checkId(id, -1)];
  }

  /** The newline's id, or -1 if the vocabulary has no newline. */
  @Override
  public int startToken() {
    return id('\n');
  }

  @Override
  public void save(Path file) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", type());
    if (fallbackId >= 0) m.put("fallback", pieces[fallbackId]);
    m.put("tokens", List.of(pieces));
    VocabularyFile.write(file, m);
  }

  /** Reads a {@code "char"} vocabulary file; use {@link Tokenizer#load} to read either kind. */
  public static CharTokenizer load(Path file) throws IOException {
    Tokenizer t = Tokenizer.load(file);
    if (t instanceof CharTokenizer c) return c;
    throw new VocabularyFormatException(file + ": a \"" + t.type() + "\" vocabulary, not a \"char\" one");
  }

  static CharTokenizer fromMap(Map<String, Object> map, String source) throws VocabularyFormatException {
    VocabularyFile.requireKeys(map, source, Set.of("type", "tokens"), Set.of("fallback"));
    List<String> tokens = VocabularyFile.strings(map, "tokens", source);
    if (tokens.isEmpty()) throw new VocabularyFormatException(source + ": \"tokens\" is empty");
    int[] cps = new int[tokens.size()];
    for (int k = 0; k < cps.length; k++) {
      String t = tokens.get(k);
      if (t.isEmpty() || t.codePointCount(0, t.length()) != 1) {
        throw new VocabularyFormatException(source + ": token " + k + " must be one character, got \""
            + escape(t) + "\"");
      }
      cps[k] = t.codePointAt(0);
      if (k > 0 && cps[k] <= cps[k - 1]) {
        throw new VocabularyFormatException(source + ": token " + k + " " + describe(cps[k])
            + (cps[k] == cps[k - 1] ? " repeats token " + (k - 1) : " is out of order (tokens must be sorted by code point)"));
      }
    }
    CharTokenizer tok = new CharTokenizer(cps, -1);
    if (map.containsKey("fallback")) {
      String f = VocabularyFile.string(map, "fallback", source);
      int id = f.isEmpty() || f.codePointCount(0, f.length()) != 1 ? -1 : tok.id(f.codePointAt(0));
      if (id < 0) {
        throw new VocabularyFormatException(source + ": \"fallback\" must be one character of the tokens, got \""
            + escape(f) + "\"");
      }
      tok = new CharTokenizer(cps, id);
    }
    return tok;
  }

  private int checkId(int id, int position) {
    if (id < 0 || id >= codePoints.length) {
      throw new IllegalArgumentException("token id " + id + (position >= 0 ? " at position " + position : "")
          + " is outside [0, " + codePoints.length + ")");
    }
    return id;
  }

  /** {@code 'a' (U+0061)}, or just {@code U+000A} for a character that does not print. */
  static String describe(int cp) {
    String hex = String.format(Locale.ROOT, "U+%04X", cp);
    int type = Character.getType(cp);
    boolean printable = !Character.isISOControl(cp) && !Character.isWhitespace(cp) && type != Character.UNASSIGNED
        && type != Character.SURROGATE && type != Character.FORMAT && type != Character.PRIVATE_USE;
    return printable ? "'" + Character.toString(cp) + "' (" + hex + ")" : hex;
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder();
    VocabularyFile.quote(b, s);
    return b.substring(1, b.length() - 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CharTokenizer c && c.fallbackId == fallbackId && Arrays.equals(c.codePoints, codePoints);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(codePoints) * 31 + fallbackId;
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    for (int k = 0; k < Math.min(codePoints.length, 20); k++) shown.add(escape(pieces[k]));
    return "CharTokenizer[" + codePoints.length + " characters: " + String.join("", shown)
        + (codePoints.length > 20 ? "..." : "") + (fallbackId >= 0 ? ", fallback " + describe(codePoints[fallbackId]) : "") + "]";
  }
}
