package dev.nabla.runtime.data;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses the one JSON number array in a document such as {@code {"data": [0, 0.2, 1, ...]}}: it
 * finds the key, then reads comma-separated numbers up to the closing bracket. Plain decimals
 * (like {@code 0.624}) are converted exactly with one float division; anything else (exponents,
 * many digits) goes through {@link Float#parseFloat}.
 */
final class NumberArray {
  private static final float[] POW10 = {1f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f};

  private NumberArray() {}

  /** The numbers of array {@code key} in the JSON text; errors name {@code source} and the byte offset. */
  static float[] parse(byte[] json, String key, String source) {
    byte[] quoted = ("\"" + key + "\"").getBytes(StandardCharsets.UTF_8);
    int at = indexOf(json, quoted);
    if (at < 0) throw error(source, 0, "no \"" + key + "\" key");
    int i = skipSpace(json, at + quoted.length);
    if (i >= json.length || json[i] != ':') throw error(source, i, "expected ':' after \"" + key + "\"");
    i = skipSpace(json, i + 1);
    if (i >= json.length || json[i] != '[') throw error(source, i, "expected '[' starting the array");
    i = skipSpace(json, i + 1);
    float[] out = new float[Math.max(16, json.length / 2)];
    int n = 0;
    if (i < json.length && json[i] == ']') return new float[0];
    while (true) {
      int start = i;
      boolean negative = i < json.length && json[i] == '-';
      if (negative) i++;
      long mantissa = 0;
      int digits = 0;
      int decimals = -1;
      for (; i < json.length; i++) {
        byte c = json[i];
        if (c >= '0' && c <= '9') {
          mantissa = mantissa * 10 + (c - '0');
          digits++;
          if (decimals >= 0) decimals++;
        } else if (c == '.' && decimals < 0) {
          decimals = 0;
        } else {
          break;
        }
      }
      if (digits == 0 || decimals == 0) throw error(source, start, "expected a number");
      float v;
      if (i < json.length && (json[i] == 'e' || json[i] == 'E') || digits > 7 || decimals > 10) {
        while (i < json.length && "0123456789+-eE.".indexOf(json[i]) >= 0) i++;
        try {
          v = Float.parseFloat(new String(json, start, i - start, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
          throw error(source, start, "bad number");
        }
      } else {
        // mantissa < 2^24 and 10^decimals are exact floats, so this division is correctly rounded.
        v = decimals <= 0 ? (float) mantissa : (float) mantissa / POW10[decimals];
        if (negative) v = -v;
      }
      if (n == out.length) out = Arrays.copyOf(out, n * 2);
      out[n++] = v;
      i = skipSpace(json, i);
      if (i >= json.length) throw error(source, i, "unterminated array");
      if (json[i] == ']') return Arrays.copyOf(out, n);
      if (json[i] != ',') throw error(source, i, "expected ',' or ']'");
      i = skipSpace(json, i + 1);
    }
  }

  private static IllegalArgumentException error(String source, int offset, String what) {
    return new IllegalArgumentException(source + ": " + what + " at byte offset " + offset);
  }

  private static int skipSpace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
    return i;
  }

  private static int indexOf(byte[] b, byte[] p) {
    outer:
    for (int i = 0; i + p.length <= b.length; i++) {
      for (int j = 0; j < p.length; j++) if (b[i + j] != p[j]) continue outer;
      return i;
    }
    return -1;
  }
}
