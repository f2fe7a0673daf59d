package dev.nabla.runtime.train;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  @Test
  void formatsTheLine() {
    ProgressBar bar = new ProgressBar("epoch 1/2", 8000, ProgressBar.Unit.EXAMPLES, new PrintStream(new ByteArrayOutputStream()), false, false);
    bar.update(3600, 0.41234, 0.8765);
    String line = bar.line();
    assertTrue(line.startsWith("epoch 1/2 [#############.................]  45% 3600/8000  loss 0.4123  acc 0.877  "), line);
    assertTrue(line.endsWith(" ex/s"), line);
    assertEquals("950", ProgressBar.compact(950));
    assertEquals("12.3k", ProgressBar.compact(12_345));
    assertEquals("4.1M", ProgressBar.compact(4_100_000));
  }

  @Test
  void nonTerminalPrintsQuartersOnly() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar("dl", 1000, ProgressBar.Unit.BYTES, new PrintStream(buf, true), false, true);
    for (int i = 0; i <= 1000; i++) bar.update(i);
    bar.finish();
    String[] lines = buf.toString().strip().split("\n");
    assertEquals(4, lines.length, buf.toString());
    assertTrue(lines[0].contains(" 25% ") && lines[3].contains("100% ") && lines[3].contains("MB"), buf.toString());
  }

  @Test
  void terminalRedrawsInPlaceRarely() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar("x", 100_000, ProgressBar.Unit.EXAMPLES, new PrintStream(buf, true), true, true);
    for (int i = 0; i <= 100_000; i++) bar.update(i, 0.5, Double.NaN);
    bar.clear();
    String s = buf.toString();
    assertFalse(s.contains("\n"));
    long redraws = s.chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 2 && redraws < 100, "redraws " + redraws);
  }
}
