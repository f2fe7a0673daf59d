package dev.nabla.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the time goes, from a Java Flight Recorder file: the methods with the most execution
 * samples on top of the stack (self) and anywhere on it (total). Used to explain a missed target
 * with a profile rather than a guess.
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=bench.jfr,settings=profile ... dev.nabla.bench.ModelBench ...
 * java -cp bench/target/classes dev.nabla.bench.profile.JfrTop bench.jfr [top]
 * </pre>
 */
public final class JfrTop {
  private JfrTop() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) throw new IllegalArgumentException("usage: JfrTop FILE.jfr [top]");
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    System.out.print(report(Path.of(args[0]), top));
  }

  /** The report as text: one line per method, share of samples self and total. */
  public static String report(Path jfr, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> total = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) continue;
      RecordedStackTrace stack = e.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) continue;
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(name(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame f : frames) {
        String n = name(f);
        if (seen.add(n)) total.merge(n, 1, Integer::sum);
      }
    }
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%,d execution samples%n", samples));
    out.append(section("self", self, samples, top)).append(section("total", total, samples, top));
    return out.toString();
  }

  private static String section(String title, Map<String, Integer> counts, int samples, int top) {
    List<Map.Entry<String, Integer>> rows = new ArrayList<>(counts.entrySet());
    rows.sort((a, b) -> b.getValue() - a.getValue());
    StringBuilder s = new StringBuilder("  " + title + ":\n");
    for (int i = 0; i < Math.min(top, rows.size()); i++) {
      s.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * rows.get(i).getValue() / samples,
          rows.get(i).getKey()));
    }
    return s.toString();
  }

  private static String name(RecordedFrame f) {
    String type = f.getMethod().getType().getName();
    return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }
}
