package dev.nabla.runtime.report;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a report in headless Chromium (Debian's {@code chromium}, at /usr/bin/chromium; skipped
 * where it is not installed): the rendered DOM must hold the charts and show that the page's
 * script ran to its end ({@code data-ok="1"}) with no error caught by {@code window.onerror}, and
 * a screenshot of it must not be blank.
 *
 * <p>Set {@code -Dnabla.report.keep=DIR} to keep the report and screenshot in DIR.
 */
class ReportBrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("nabla.chromium", "/usr/bin/chromium"));

  @Test
  void rendersInHeadlessChromiumWithoutScriptErrors(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is not installed (apt-get install chromium)");
    String keep = System.getProperty("nabla.report.keep");
    Path dir = keep != null && !keep.isBlank() ? Path.of(keep) : tmp.resolve("report");
    TrainingReportTest.Run run = TrainingReportTest.imageRun("BarsNet <&>", 8);
    TrainingReport.Files files = run.report().write(dir);

    String dom = chromium(tmp, "dom", "--dump-dom", files.html().toUri().toString());
    assertTrue(dom.contains("</html>"), "a whole document: " + head(dom));
    Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
    assertTrue(body.find(), head(dom));
    Matcher root = Pattern.compile("<html([^>]*)>").matcher(dom);
    assertTrue(root.find(), head(dom));
    assertFalse(root.group(1).contains("data-errors") || body.group(1).contains("data-errors"),
        "script errors: " + root.group(1));
    assertTrue(body.group(1).contains("data-ok=\"1\""), "the page's script ran to the end: <body" + body.group(1) + ">");
    assertTrue(body.group(1).contains("data-charts=\"5\""), "the script counted five charts: <body" + body.group(1) + ">");
    assertEquals(5, TrainingReportTest.count(dom, "<svg"), "five inline SVG charts in the rendered DOM");
    for (String id : List.of("chart-loss", "chart-accuracy", "chart-lr", "confusion", "weights")) {
      assertTrue(dom.contains("id=\"" + id + "\""), id);
    }
    assertEquals(3, TrainingReportTest.count(dom, "<image "), "a weight image per unit");

    Path png = dir.resolve("screenshot.png");
    chromium(tmp, "shot", "--screenshot=" + png, "--window-size=1200,1600", "--hide-scrollbars",
        files.html().toUri().toString());
    assertTrue(Files.isRegularFile(png), "no screenshot was written");
    byte[] bytes = Files.readAllBytes(png);
    assertTrue(bytes.length > 30_000, "the screenshot has " + bytes.length + " bytes: blank?");
    var img = javax.imageio.ImageIO.read(png.toFile());
    assertEquals(1200, img.getWidth());
    // Not one colour: count distinct pixels in a coarse sample.
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) for (int x = 0; x < img.getWidth(); x += 7) colours.add(img.getRGB(x, y));
    assertTrue(colours.size() > 20, colours.size() + " colours in the screenshot");
  }

  /** Runs headless Chromium with the flags for a root container without network; returns its stdout. */
  private static String chromium(Path tmp, String tag, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(tmp, "chromium-profile-");
    List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path out = tmp.resolve(tag + ".out");
    Path err = tmp.resolve(tag + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      fail("chromium did not finish in 120 s: " + String.join(" ", cmd) + "\n" + tail(err));
    }
    assertEquals(0, p.exitValue(), "chromium exit status; stderr:\n" + tail(err));
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static String tail(Path f) throws IOException {
    String s = Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  private static String head(String s) {
    return s.length() > 500 ? s.substring(0, 500) + "…" : s;
  }
}
