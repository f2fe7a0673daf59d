package dev.nabla.runtime.text;

import dev.nabla.runtime.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes the small JSON objects of vocabulary files. The reader is strict (RFC 8259: no
 * trailing commas, comments, duplicate keys or trailing garbage, strict UTF-8) and knows only what
 * a vocabulary needs: objects, arrays, strings, booleans, null and integers. Strings may hold
 * unpaired surrogates, written as {@code \}{@code uXXXX} escapes, so that any Java string token
 * round-trips. The writer puts one token per line so that a vocabulary diffs well.
 */
final class VocabularyFile {
  private static final int MAX_DEPTH = 16;

  private final String s;
  private final String source;
  private int i;

  private VocabularyFile(String s, String source) {
    this.s = s;
    this.source = source;
  }

  /** The object in {@code file}; a {@link VocabularyFormatException} naming the file if it is not one. */
  static Map<String, Object> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "no vocabulary file");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new VocabularyFormatException(file + ": not UTF-8 text", e);
    }
    return parseObject(text, file.toString());
  }

  /** Parses {@code text}, which must hold one JSON object; {@code source} names it in messages. */
  static Map<String, Object> parseObject(String text, String source) throws VocabularyFormatException {
    VocabularyFile p = new VocabularyFile(text, source);
    p.skipWhitespace();
    if (p.i >= text.length() || text.charAt(p.i) != '{') throw p.error("expected a JSON object");
    Map<String, Object> map = p.object(1);
    p.skipWhitespace();
    if (p.i != text.length()) throw p.error("trailing characters after the JSON object");
    return map;
  }

  /** Checks that {@code map} has exactly the {@code required} keys and some of the {@code optional} ones. */
  static void requireKeys(Map<String, Object> map, String source, Set<String> required, Set<String> optional)
      throws VocabularyFormatException {
    for (String k : required) {
      if (!map.containsKey(k)) throw new VocabularyFormatException(source + ": missing key \"" + k + "\"");
    }
    for (String k : map.keySet()) {
      if (!required.contains(k) && !optional.contains(k)) {
        throw new VocabularyFormatException(source + ": unexpected key \"" + k + "\"");
      }
    }
  }

  static String string(Map<String, Object> map, String key, String source) throws VocabularyFormatException {
    if (map.get(key) instanceof String v) return v;
    throw new VocabularyFormatException(source + ": \"" + key + "\" must be a string, got " + describe(map.get(key)));
  }

  static boolean bool(Map<String, Object> map, String key, String source) throws VocabularyFormatException {
    if (map.get(key) instanceof Boolean v) return v;
    throw new VocabularyFormatException(source + ": \"" + key + "\" must be true or false, got " + describe(map.get(key)));
  }

  /** The array of strings under {@code key}. */
  static List<String> strings(Map<String, Object> map, String key, String source) throws VocabularyFormatException {
    if (!(map.get(key) instanceof List<?> list)) {
      throw new VocabularyFormatException(source + ": \"" + key + "\" must be an array of strings, got "
          + describe(map.get(key)));
    }
    List<String> out = new ArrayList<>(list.size());
    for (int k = 0; k < list.size(); k++) {
      if (!(list.get(k) instanceof String v)) {
        throw new VocabularyFormatException(source + ": \"" + key + "\"[" + k + "] must be a string, got "
            + describe(list.get(k)));
      }
      out.add(v);
    }
    return out;
  }

  private static String describe(Object v) {
    if (v == null) return "nothing";
    if (v == NULL) return "null";
    if (v instanceof String) return "a string";
    if (v instanceof Boolean) return "a boolean";
    if (v instanceof Long) return "a number";
    if (v instanceof List) return "an array";
    if (v instanceof Map) return "an object";
    return v.toString();
  }

  /**
   * Writes {@code fields} (values: String, Boolean, Integer or List of String) as a JSON object to
   * {@code file} atomically, creating its directory if needed.
   */
  static void write(Path file, Map<String, Object> fields) throws IOException {
    StringBuilder b = new StringBuilder(256);
    b.append("{");
    boolean first = true;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      b.append(first ? "\n  " : ",\n  ");
      first = false;
      quote(b, e.getKey());
      b.append(": ");
      Object v = e.getValue();
      if (v instanceof String str) {
        quote(b, str);
      } else if (v instanceof Boolean || v instanceof Integer) {
        b.append(v);
      } else if (v instanceof List<?> list) {
        b.append('[');
        for (int k = 0; k < list.size(); k++) {
          b.append(k == 0 ? "\n    " : ",\n    ");
          quote(b, (String) list.get(k));
        }
        b.append(list.isEmpty() ? "]" : "\n  ]");
      } else {
        throw new IllegalArgumentException("cannot write " + v + " in a vocabulary file");
      }
    }
    b.append("\n}\n");
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) Files.createDirectories(parent);
    AtomicFiles.write(file, ch -> {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) ch.write(buf);
    });
  }

  /** Appends {@code v} as a JSON string: control characters and unpaired surrogates escaped. */
  static void quote(StringBuilder b, String v) {
    b.append('"');
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (Character.isHighSurrogate(c) && k + 1 < v.length() && Character.isLowSurrogate(v.charAt(k + 1))) {
            b.append(c).append(v.charAt(++k));
          } else if (c < 0x20 || c == 0x7f || Character.isSurrogate(c)) {
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private VocabularyFormatException error(String what) {
    return error(what, i);
  }

  private VocabularyFormatException error(String what, int at) {
    int line = 1;
    int column = 1;
    for (int k = 0; k < Math.min(at, s.length()); k++) {
      if (s.charAt(k) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new VocabularyFormatException(source + ": " + what + " at line " + line + ", column " + column);
  }

  private void skipWhitespace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') i++;
      else break;
    }
  }

  private Object value(int depth) throws VocabularyFormatException {
    if (i >= s.length()) throw error("unexpected end of the JSON text");
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
        if (c == '-' || (c >= '0' && c <= '9')) return integer();
        throw error("unexpected character " + show(c));
    }
  }

  /** JSON null: kept distinct from a missing key. */
  static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  private static String show(char c) {
    return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  private void literal(String word) throws VocabularyFormatException {
    if (!s.startsWith(word, i)) throw error("invalid literal (expected " + word + ")");
    i += word.length();
  }

  private Map<String, Object> object(int depth) throws VocabularyFormatException {
    if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
    i++; // {
    Map<String, Object> map = new LinkedHashMap<>();
    skipWhitespace();
    if (i < s.length() && s.charAt(i) == '}') {
      i++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (i >= s.length() || s.charAt(i) != '"') throw error("expected a string key");
      int keyAt = i;
      String key = string();
      skipWhitespace();
      if (i >= s.length() || s.charAt(i) != ':') throw error("expected ':' after a key");
      i++;
      skipWhitespace();
      Object v = value(depth);
      if (map.putIfAbsent(key, v) != null) throw error("duplicate key \"" + key + "\"", keyAt);
      skipWhitespace();
      if (i >= s.length()) throw error("unterminated object");
      char c = s.charAt(i++);
      if (c == '}') return map;
      if (c != ',') throw error("expected ',' or '}' in an object", i - 1);
    }
  }

  private List<Object> array(int depth) throws VocabularyFormatException {
    if (depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
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
      if (i >= s.length()) throw error("unterminated array");
      char c = s.charAt(i++);
      if (c == ']') return list;
      if (c != ',') throw error("expected ',' or ']' in an array", i - 1);
    }
  }

  private String string() throws VocabularyFormatException {
    int start = i;
    i++; // opening quote
    StringBuilder b = new StringBuilder();
    while (true) {
      if (i >= s.length()) throw error("unterminated string", start);
      char c = s.charAt(i);
      if (c == '"') {
        i++;
        return b.toString();
      }
      if (c < 0x20) throw error("unescaped control character " + show(c) + " in a string");
      i++;
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i >= s.length()) throw error("unterminated escape");
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'u' -> {
          if (i + 4 > s.length()) throw error("truncated \\u escape");
          int v = 0;
          for (int k = 0; k < 4; k++) {
            int d = Character.digit(s.charAt(i + k), 16);
            if (d < 0 || s.charAt(i + k) > 'f') throw error("invalid hex digit in a \\u escape", i + k);
            v = v * 16 + d;
          }
          i += 4;
          b.append((char) v);
        }
        default -> throw error("invalid escape " + show(e), i - 2);
      }
    }
  }

  private Long integer() throws VocabularyFormatException {
    int start = i;
    if (s.charAt(i) == '-') i++;
    int digits = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
    if (i == digits) throw error("invalid number", start);
    if (s.charAt(digits) == '0' && i - digits > 1) throw error("leading zero in a number", start);
    if (i < s.length() && (s.charAt(i) == '.' || s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      throw error("only integers are expected in a vocabulary file", start);
    }
    if (i - start > 18) throw error("number too long", start);
    return Long.parseLong(s.substring(start, i));
  }
}
