package dev.nabla.runtime.text;

import dev.nabla.runtime.io.AtomicFiles;
import dev.nabla.runtime.io.Json;
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
 * Reads and writes the small JSON objects of vocabulary files. The reader is the strict {@link
 * Json} parser of the safetensors headers (RFC 8259: no trailing commas, comments, duplicate keys or
 * trailing garbage; strict UTF-8 here), with line and column in its messages, except that strings
 * may hold unpaired surrogates, written as {@code \}{@code uXXXX} escapes, so that any Java string
 * token round-trips. The writer puts one token per line so that a vocabulary diffs well.
 */
final class VocabularyFile {
  private VocabularyFile() {}

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
  @SuppressWarnings("unchecked")
  static Map<String, Object> parseObject(String text, String source) throws VocabularyFormatException {
    int start = 0;
    while (start < text.length() && Character.isWhitespace(text.charAt(start))) start++;
    if (start >= text.length() || text.charAt(start) != '{') throw error(text, source, "expected a JSON object", start);
    try {
      return (Map<String, Object>) Json.parse(text, true);
    } catch (Json.JsonException e) {
      // the value is an object: say so where the parser says "value"
      throw error(text, source, e.reason().replace("the JSON value", "the JSON object"), e.index());
    }
  }

  /** "source: what at line L, column C" for character {@code at} of {@code text}. */
  private static VocabularyFormatException error(String text, String source, String what, int at) {
    int line = 1;
    int column = 1;
    for (int k = 0; k < Math.min(at, text.length()); k++) {
      if (text.charAt(k) == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new VocabularyFormatException(source + ": " + what + " at line " + line + ", column " + column);
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
    if (v == Json.NULL) return "null";
    if (v instanceof String) return "a string";
    if (v instanceof Boolean) return "a boolean";
    if (v instanceof Number) return "a number";
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
}
