package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumberArrayTest {

  private static float[] parse(String json) {
    return NumberArray.parse(json.getBytes(StandardCharsets.UTF_8), "data", "t.json");
  }

  @Test
  void parsesNumbers() {
    assertArrayEquals(new float[] {0, 0.2f, 0.624f, 1, 0.004f, -1.5f, 12f, 1.5e-3f, 0.12345678f},
        parse("{ \"data\": [0,0.2,0.624,1, 0.004 ,\n-1.5,12,1.5e-3,0.12345678]}"));
    assertArrayEquals(new float[0], parse("{\"data\":[ ]}"));
    assertArrayEquals(new float[] {3}, parse("{\"other\": 1, \"data\" : [3]}"));
  }

  @Test
  void decimalsAreExactlyWhatParseFloatGives() {
    StringBuilder b = new StringBuilder("{\"data\":[");
    float[] expected = new float[1000];
    for (int k = 0; k < 1000; k++) {
      String s = k == 0 ? "0" : String.format("%d.%03d", k / 1000, k % 1000).replaceAll("0+$", "");
      if (k > 0) b.append(',');
      b.append(s);
      expected[k] = Float.parseFloat(s);
    }
    assertArrayEquals(expected, parse(b.append("]}").toString()));
  }

  @Test
  void reportsErrorsWithOffset() {
    var e = assertThrows(IllegalArgumentException.class, () -> parse("{\"data\": [1, x]}"));
    assertEquals("t.json: expected a number at byte offset 13", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("{\"data\": [1, 2"));
    assertTrue(e.getMessage().contains("unterminated array at byte offset 14"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("{\"values\": []}"));
    assertTrue(e.getMessage().contains("no \"data\" key"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> parse("{\"data\": [1;2]}"));
    assertTrue(e.getMessage().contains("expected ',' or ']' at byte offset 11"), e.getMessage());
  }
}
