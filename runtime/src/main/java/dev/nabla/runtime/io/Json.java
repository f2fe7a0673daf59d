package dev.nabla.runtime.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for safetensors headers: objects become insertion-ordered
 * maps, arrays lists, strings strings, integers {@link BigInteger}, other numbers {@link Double},
 * literals {@link Boolean} or {@link #NULL}. Duplicate keys, trailing garbage, leading zeros,
 * control characters in strings, lone surrogate escapes and nesting deeper than {@link #MAX_DEPTH}
 * are errors (lone surrogates unless the caller allows them: vocabulary files keep any Java string).
 * Positions in messages are character indexes into the text. Safetensors headers and vocabulary
 * files both read through it.
 */
public final class Json {
  /** Deep enough for any safetensors header (3), shallow enough to never overflow the stack. */
  static final int MAX_DEPTH = 64;

  /** The JSON null (maps cannot hold Java null as a distinguishable value in messages). */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** A syntax error at a character index. */
  public static final class JsonException extends Exception {
    private static final long serialVersionUID = 1L;
    final int index;
    private final String reason;

    JsonException(String message, int index) {
      super(message + " at character " + index);
      this.index = index;
      this.reason = message;
    }

    /** The character index the error points at. */
    public int index() {
      return index;
    }

    /** What is wrong, without the position. */
    public String reason() {
      return reason;
    }
  }

  private final String s;
  private final boolean loneSurrogates;
  private int i;

  private Json(String s, boolean loneSurrogates) {
    this.s = s;
    this.loneSurrogates = loneSurrogates;
  }

  /** Parses one JSON value filling the whole text but for surrounding whitespace. */
  static Object parse(String text) throws JsonException {
    return parse(text, false);
  }

  /**
   * As {@link #parse(String)}; with {@code loneSurrogates}, an escape ({@code \}{@code uXXXX}) of an unpaired
   * surrogate is kept as that char instead of being an error.
   */
  public static Object parse(String text, boolean loneSurrogates) throws JsonException {
    Json p = new Json(text, loneSurrogates);
    p.skipWhitespace();
    Object v = p.value(0);
    p.skipWhitespace();
    if (p.i != text.length()) throw new JsonException("trailing characters after the JSON value", p.i);
    return v;
  }

  private void skipWhitespace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') i++;
      else break;
    }
  }

  private Object value(int depth) throws JsonException {
    if (i >= s.length()) throw new JsonException("unexpected end of the JSON text", i);
    char c = s.charAt(i);
    switch (c) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return NULL;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw new JsonException("unexpected character " + describe(c), i);
    }
  }

  private static String describe(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
  }

  private void literal(String word) throws JsonException {
    if (!s.startsWith(word, i)) throw new JsonException("invalid literal (expected " + word + ")", i);
    i += word.length();
  }

  private Map<String, Object> object(int depth) throws JsonException {
    if (depth > MAX_DEPTH) throw new JsonException("nesting deeper than " + MAX_DEPTH, i);
    i++; // {
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (i >= s.length() || s.charAt(i) != '"') throw new JsonException("expected a string key", i);
      int keyAt = i;
      String key = string();
      skipWhitespace();
      if (i >= s.length() || s.charAt(i) != ':') throw new JsonException("expected ':' after a key", i);
      i++;
      skipWhitespace();
      Object v = value(depth);
      if (map.putIfAbsent(key, v) != null) {
        throw new JsonException("duplicate key \"" + key + "\"", keyAt);
      }
      skipWhitespace();
      if (i >= s.length()) throw new JsonException("unterminated object", i);
      char c = s.charAt(i++);
      if (c == '}') return map;
      if (c != ',') throw new JsonException("expected ',' or '}' in an object", i - 1);
    }
  }

  private List<Object> array(int depth) throws JsonException {
    if (depth > MAX_DEPTH) throw new JsonException("nesting deeper than " + MAX_DEPTH, i);
    i++; // [
    List<Object> list = new ArrayList<>();
    skipWhitespace();
    if (i < s.length() && s.charAt(i) == ']') {
      i++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth));
      skipWhitespace();
      if (i >= s.length()) throw new JsonException("unterminated array", i);
      char c = s.charAt(i++);
      if (c == ']') return list;
      if (c != ',') throw new JsonException("expected ',' or ']' in an array", i - 1);
    }
  }

  private String string() throws JsonException {
    int start = i;
    i++; // opening quote
    StringBuilder b = null;
    int run = i;
    while (true) {
      if (i >= s.length()) throw new JsonException("unterminated string", start);
      char c = s.charAt(i);
      if (c == '"') {
        String out = b == null ? s.substring(run, i) : b.append(s, run, i).toString();
        i++;
        return out;
      }
      if (c < 0x20) throw new JsonException("unescaped control character " + describe(c) + " in a string", i);
      if (c != '\\') {
        i++;
        continue;
      }
      if (b == null) b = new StringBuilder();
      b.append(s, run, i);
      i++;
      if (i >= s.length()) throw new JsonException("unterminated escape", i);
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          char u = hex4();
          if (loneSurrogates) {
            b.append(u);
          } else if (Character.isHighSurrogate(u)) {
            if (!s.startsWith("\\u", i)) throw new JsonException("lone high surrogate escape", i - 6);
            i += 2;
            char low = hex4();
            if (!Character.isLowSurrogate(low)) throw new JsonException("high surrogate not followed by a low one", i - 6);
            b.append(u).append(low);
          } else if (Character.isLowSurrogate(u)) {
            throw new JsonException("lone low surrogate escape", i - 6);
          } else {
            b.append(u);
          }
        }
        default -> throw new JsonException("invalid escape " + describe(e), i - 2);
      }
      run = i;
    }
  }

  private char hex4() throws JsonException {
    if (i + 4 > s.length()) throw new JsonException("truncated \\u escape", i);
    int v = 0;
    for (int k = 0; k < 4; k++) {
      int d = Character.digit(s.charAt(i + k), 16);
      if (d < 0 || s.charAt(i + k) > 'f') throw new JsonException("invalid hex digit in a \\u escape", i + k);
      v = v * 16 + d;
    }
    i += 4;
    return (char) v;
  }

  private Object number() throws JsonException {
    int start = i;
    if (s.charAt(i) == '-') i++;
    if (i >= s.length()) throw new JsonException("truncated number", start);
    char c = s.charAt(i);
    if (c == '0') {
      i++;
      if (i < s.length() && isDigit(s.charAt(i))) throw new JsonException("leading zero in a number", start);
    } else if (isDigit(c)) {
      while (i < s.length() && isDigit(s.charAt(i))) i++;
    } else {
      throw new JsonException("invalid number", start);
    }
    boolean integer = true;
    if (i < s.length() && s.charAt(i) == '.') {
      integer = false;
      i++;
      if (i >= s.length() || !isDigit(s.charAt(i))) throw new JsonException("digits expected after '.'", i);
      while (i < s.length() && isDigit(s.charAt(i))) i++;
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      integer = false;
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) i++;
      if (i >= s.length() || !isDigit(s.charAt(i))) throw new JsonException("digits expected in an exponent", i);
      while (i < s.length() && isDigit(s.charAt(i))) i++;
    }
    // No header needs a long number; capping the length keeps parsing linear in the header size.
    if (i - start > 100) throw new JsonException("number longer than 100 characters", start);
    String text = s.substring(start, i);
    if (integer) return new BigInteger(text);
    return Double.parseDouble(text);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
