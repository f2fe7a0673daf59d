package dev.nabla.runtime.data;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing and caching of fortune files on small synthetic files; no network. */
class FortunesTest {
  @TempDir Path dir;

  @Test
  void parsesRecordsBetweenPercentLines() {
    assertEquals(List.of("a\nb", "c"), Fortunes.parse("a\nb\n%\nc\n%\n"));
    assertEquals(List.of("x\ny"), Fortunes.parse("x\ny\n"), "no final separator");
    assertEquals(List.of("x", "y"), Fortunes.parse("x\n%\ny"), "no final newline");
    assertEquals(List.of("The Way"), Fortunes.parse("%\n%\nThe Way\n%\n   \n%\n"), "empty and blank records dropped");
    assertEquals(List.of("\tindented\n  -- Someone", "100% sure\n%% not a separator\n % nor this"),
        Fortunes.parse("\tindented\n  -- Someone\n%\n100% sure\n%% not a separator\n % nor this\n%\n"));
    assertEquals(List.of("trailing blank line\n"), Fortunes.parse("trailing blank line\n\n%\n"));
    assertEquals(List.of("dos\r", "line\r"), Fortunes.parse("dos\r\n%\r\nline\r\n%\r\n"), "separators may end in CR");
    assertEquals(List.of("x"), Fortunes.parse("x\n%"));
    assertEquals(List.of(), Fortunes.parse(""));
    assertEquals(List.of(), Fortunes.parse("%\n"));
  }

  @Test
  void formatRoundTrips() {
    List<String> records = List.of("one", "two\nlines", "blank line after\n", "\nblank line before", "tab\t%");
    assertEquals(records, Fortunes.parse(Fortunes.format(records)));
  }

  @Test
  void readsADirectoryInSortedOrderSkippingIndexesLinksAndSubdirectories() throws IOException {
    Path fortunes = writePackageTree(dir.resolve("tree"));
    assertEquals(List.of("alpha 1", "alpha 2\n\t-- A. Author", "bravo ünïcödé"), Fortunes.readDirectory(fortunes));
  }

  @Test
  void rejectsFilesThatAreNotUtf8() throws IOException {
    Files.write(dir.resolve("latin1"), "caf\u00e9\n%\n".getBytes(StandardCharsets.ISO_8859_1));
    IOException e = assertThrows(IOException.class, () -> Fortunes.readDirectory(dir));
    assertTrue(e.getMessage().contains("latin1 is not UTF-8"), e.getMessage());
  }

  @Test
  void installedPackageIsReadThroughDpkgsFileList() throws IOException {
    Path installed = writePackageTree(dir.resolve("root"));
    Files.writeString(installed.resolve("fortunes"), "from fortunes-min, not listed\n%\n");
    Path list = dir.resolve("fortunes.list");
    Files.writeString(list, String.join("\n", "/.", "/usr/share/games/fortunes",
        "/usr/share/games/fortunes/bravo", "/usr/share/games/fortunes/alpha", "/usr/share/games/fortunes/alpha.dat",
        "/usr/share/games/fortunes/alpha.u8", "/usr/share/doc/fortunes/copyright", ""));
    List<String> records = Fortunes.records(installed, list, dir.resolve("cache/fortunes.txt"), d -> {
      throw new AssertionError("no download when installed");
    });
    assertEquals(List.of("alpha 1", "alpha 2\n\t-- A. Author", "bravo ünïcödé"), records);
  }

  @Test
  void fetchesOnceThenReadsTheCache() throws Exception {
    assumeTrue(hasDpkgDeb(), "dpkg-deb is needed to build the test package");
    Path deb = buildDeb();
    Path cache = dir.resolve("cache").resolve("fortunes").resolve("fortunes.txt");
    AtomicInteger downloads = new AtomicInteger();
    Fortunes.Download fake = into -> {
      downloads.incrementAndGet();
      return Files.copy(deb, into.resolve("fortunes_1.0_all.deb"));
    };
    Path nowhere = dir.resolve("not-installed");
    List<String> fetched = Fortunes.records(nowhere, nowhere.resolve("fortunes.list"), cache, fake);
    assertEquals(List.of("alpha 1", "alpha 2\n\t-- A. Author", "bravo ünïcödé"), fetched);
    assertEquals(1, downloads.get());
    assertTrue(Files.isRegularFile(cache));
    assertEquals(Fortunes.format(fetched), Files.readString(cache));
    try (var s = Files.list(cache.getParent())) {
      assertEquals(1, s.count(), "only the cache file, no temporary left");
    }
    assertEquals(fetched, Fortunes.records(nowhere, nowhere.resolve("fortunes.list"), cache, fake));
    assertEquals(1, downloads.get(), "the second call reads the cache");
  }

  @Test
  void failedFetchLeavesNoCacheAndExplains() throws IOException {
    Path cache = dir.resolve("cache/fortunes.txt");
    Path nowhere = dir.resolve("none");
    IOException e = assertThrows(IOException.class, () -> Fortunes.records(nowhere, nowhere, cache, d -> {
      throw new IOException("apt-get download fortunes failed with exit status 100: E: Unable to locate package");
    }));
    assertTrue(e.getMessage().contains("Unable to locate package"));
    assertFalse(Files.exists(cache));
    Path notDeb = dir.resolve("junk.deb");
    Files.writeString(notDeb, "not an archive");
    IOException bad = assertThrows(IOException.class, () -> Fortunes.records(nowhere, nowhere, cache,
        d -> Files.copy(notDeb, d.resolve("junk.deb"))));
    assertTrue(bad.getMessage().contains("dpkg-deb"), bad.getMessage());
    assertFalse(Files.exists(cache));
  }

  /** A package tree with two fortune files, their indexes, a .u8 link, a subdirectory and a hidden file. */
  private static Path writePackageTree(Path root) throws IOException {
    Path f = root.resolve(Fortunes.DATA_DIR);
    Files.createDirectories(f.resolve("off"));
    Files.writeString(f.resolve("bravo"), "bravo ünïcödé\n%\n", StandardCharsets.UTF_8);
    Files.writeString(f.resolve("alpha"), "alpha 1\n%\nalpha 2\n\t-- A. Author\n%\n");
    Files.write(f.resolve("alpha.dat"), new byte[] {0, 0, 0, 2, (byte) 0xff});
    Files.write(f.resolve("bravo.dat"), new byte[] {0, 0, 0, 2, (byte) 0xfe});
    Files.createSymbolicLink(f.resolve("alpha.u8"), Path.of("alpha"));
    Files.createSymbolicLink(f.resolve("charlie"), Path.of("alpha"));
    Files.writeString(f.resolve("off").resolve("rude"), "offensive\n%\n");
    Files.writeString(f.resolve(".hidden"), "hidden\n%\n");
    return f;
  }

  private Path buildDeb() throws Exception {
    Path pkg = dir.resolve("pkg");
    writePackageTree(pkg);
    Files.createDirectories(pkg.resolve("DEBIAN"));
    Files.writeString(pkg.resolve("DEBIAN/control"), "Package: fortunes\nVersion: 1.0\nArchitecture: all\n"
        + "Maintainer: Test <test@example.org>\nDescription: test fortunes\n");
    Path deb = dir.resolve("fortunes.deb");
    Process p = new ProcessBuilder("dpkg-deb", "--root-owner-group", "--build", pkg.toString(), deb.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return deb;
  }

  private static boolean hasDpkgDeb() {
    try {
      Process p = new ProcessBuilder("dpkg-deb", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}
