package dev.nabla.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The flat JSON lines the benchmarks exchange: one object of strings and numbers per line. */
final class Json {
  private Json() {}

  /** {@code object("a", 1, "b", "x")} is {@code {"a": 1, "b": "x"}}, spaced like Python's json.dumps. */
  static String object(Object... keysAndValues) {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (i > 0) s.append(", ");
      s.append(quote(keysAndValues[i].toString())).append(": ");
      Object v = keysAndValues[i + 1];
      s.append(v instanceof Number || v instanceof Boolean ? v.toString() : quote(String.valueOf(v)));
    }
    return s.append('}').toString();
  }

  /** x rounded to the given decimals, printed without exponent. */
  static BigDecimal round(double x, int decimals) {
    return BigDecimal.valueOf(x).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  private static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /** Parses one flat object; numbers become Double, everything else stays a String. */
  static Map<String, Object> parse(String line) {
    Map<String, Object> m = new LinkedHashMap<>();
    int[] at = {line.indexOf('{') + 1};
    while (true) {
      skip(line, at);
      if (line.charAt(at[0]) == '}') return m;
      String key = string(line, at);
      skip(line, at);
      at[0]++; // ':'
      skip(line, at);
      Object value;
      if (line.charAt(at[0]) == '"') {
        value = string(line, at);
      } else {
        int end = at[0];
        while (",}".indexOf(line.charAt(end)) < 0) end++;
        String raw = line.substring(at[0], end).trim();
        at[0] = end;
        Object num;
        try {
          num = Double.parseDouble(raw);
        } catch (NumberFormatException e) {
          num = raw;
        }
        value = num;
      }
      m.put(key, value);
      skip(line, at);
      if (line.charAt(at[0]) == ',') at[0]++;
    }
  }

  private static void skip(String s, int[] at) {
    while (Character.isWhitespace(s.charAt(at[0]))) at[0]++;
  }

  private static String string(String s, int[] at) {
    StringBuilder b = new StringBuilder();
    int i = at[0] + 1;
    for (; s.charAt(i) != '"'; i++) {
      char c = s.charAt(i);
      if (c == '\\') c = s.charAt(++i);
      b.append(c);
    }
    at[0] = i + 1;
    return b.toString();
  }
}
