package dev.nabla.runtime.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr:
 * {@code label [#########.........]  45% 3600/8000  loss 0.4123  acc 0.876  12.3k ex/s}.
 *
 * <p>On a terminal it is redrawn in place with {@code \r} at most ten times a second. Otherwise
 * (a CI log, a redirected stream) it prints nothing while running, or — if asked — one line as
 * each quarter (25, 50, 75%) is passed, so logs stay small. {@link #update} only compares a clock
 * unless it redraws, so calling it every step costs nothing.
 */
public final class ProgressBar {
  /** What the counts are. */
  public enum Unit {
    EXAMPLES,
    BYTES
  }

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final boolean quarterLines;
  private final String label;
  private final long total;
  private final Unit unit;
  private final long startNanos = System.nanoTime();
  private long lastDraw = Long.MIN_VALUE;
  private int lastQuarter;
  private int lastLength;
  private long done;
  private double loss = Double.NaN;
  private double accuracy = Double.NaN;

  /** A bar on stderr (total 0 = unknown size), redrawn in place when there is a terminal; elsewhere it prints quarter lines. */
  public ProgressBar(String label, long total, Unit unit) {
    this(label, total, unit, System.err, isTerminal(), true);
  }

  /**
   * A bar on {@code out}. With {@code terminal} false, {@code quarterLines} chooses between one
   * line per quarter passed and silence until {@link #finish()}.
   */
  public ProgressBar(String label, long total, Unit unit, PrintStream out, boolean terminal, boolean quarterLines) {
    this.label = label;
    this.total = Math.max(0, total);
    this.unit = unit;
    this.out = out;
    this.terminal = terminal;
    this.quarterLines = quarterLines;
  }

  /** Whether stderr is likely an interactive terminal ({@code System.console()} present and, on JDK 22+, a terminal). */
  public static boolean isTerminal() {
    Console c = System.console();
    if (c == null) return false;
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return true; // before JDK 22 a non-null console means a terminal
    }
  }

  /** Sets progress to {@code done}. */
  public void update(long done) {
    this.done = done;
    maybeDraw();
  }

  /** Sets progress and the metrics shown (NaN hides one). */
  public void update(long done, double loss, double accuracy) {
    this.done = done;
    this.loss = loss;
    this.accuracy = accuracy;
    maybeDraw();
  }

  /** Draws the final state and ends the line. */
  public void finish() {
    String line = line();
    if (terminal) out.print("\r" + pad(line) + "\n");
    else out.println(line);
    out.flush();
  }

  /** Removes the bar from a terminal (prints nothing elsewhere), so the caller can print a summary line. */
  public void clear() {
    if (terminal && lastLength > 0) {
      out.print("\r" + " ".repeat(lastLength) + "\r");
      out.flush();
      lastLength = 0;
    }
  }

  private void maybeDraw() {
    if (terminal) {
      long now = System.nanoTime();
      if (lastDraw != Long.MIN_VALUE && now - lastDraw < REDRAW_NANOS) return;
      lastDraw = now;
      out.print("\r" + pad(line()));
      out.flush();
    } else if (quarterLines && total > 0) {
      int quarter = (int) Math.min(4, done * 4 / total);
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        out.println(line());
      }
    }
  }

  private String pad(String line) {
    int previous = lastLength;
    lastLength = line.length();
    return previous > line.length() ? line + " ".repeat(previous - line.length()) : line;
  }

  /** The bar's text for the current state. */
  String line() {
    double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
    int filled = (int) (fraction * WIDTH);
    StringBuilder b = new StringBuilder(120);
    if (label != null && !label.isEmpty()) b.append(label).append(' ');
    b.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
    b.append(String.format(Locale.ROOT, "%3d%% ", (int) (fraction * 100)));
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    if (unit == Unit.BYTES && total == 0) {
      b.append(String.format(Locale.ROOT, "%.1f MB  %.1f MB/s", done / 1e6, rate / 1e6)); // size unknown
    } else if (unit == Unit.BYTES) {
      b.append(String.format(Locale.ROOT, "%.1f/%.1f MB  %.1f MB/s", done / 1e6, total / 1e6, rate / 1e6));
    } else {
      b.append(done).append('/').append(total);
      if (!Double.isNaN(loss)) b.append(String.format(Locale.ROOT, "  loss %.4f", loss));
      if (!Double.isNaN(accuracy)) b.append(String.format(Locale.ROOT, "  acc %.3f", accuracy));
      b.append("  ").append(compact(rate)).append(" ex/s");
    }
    return b.toString();
  }

  /** 950, 12.3k, 4.1M. */
  static String compact(double v) {
    if (v >= 1e6) return String.format(Locale.ROOT, "%.1fM", v / 1e6);
    if (v >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
    return String.format(Locale.ROOT, "%.0f", v);
  }
}
