package dev.nabla.runtime.data;

import dev.nabla.runtime.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The fortune cookies of Debian's {@value #DEBIAN_PACKAGE} package (about 14,000 quotations, jokes
 * and poems, 2.4 million characters of mostly ASCII English): a small text corpus for language
 * models.
 *
 * <p>The package keeps its fortunes in plain files under {@value #DATA_DIR}/ ({@code computers},
 * {@code science}, ...), each a sequence of records separated by lines holding only {@code %}. The
 * {@code .dat} index files, the {@code .u8} symbolic links and subdirectories (the offensive
 * {@code off/} collection of other packages) are not read. {@link #records()} returns the records of
 * the files in the order of their sorted names, each record in file order:
 * <ol>
 *   <li>from the installed package, if Debian's package database lists {@value #DEBIAN_PACKAGE} as
 *       installed (only the files that package owns are read, not those other fortune packages put
 *       in the same directory);
 *   <li>else from the cache, {@link #cacheFile()};
 *   <li>else fetched: {@code apt-get download fortunes} into a temporary directory (no root needed,
 *       nothing installed), {@code dpkg-deb -x} to unpack it there, and the records written to the
 *       cache atomically, in the fortune format itself.
 * </ol>
 * Text is read as strict UTF-8. The records keep every character, including the few backspaces
 * (overstriking) and tabs of the originals; only records that are empty or all whitespace are
 * dropped.
 */
public final class Fortunes {
  /** The Debian package. */
  public static final String DEBIAN_PACKAGE = "fortunes";
  /** The fortunes' directory inside the package. */
  public static final String DATA_DIR = "usr/share/games/fortunes";
  /** Where the installed package keeps them. */
  public static final Path INSTALLED_DIR = Path.of("/" + DATA_DIR);
  /** dpkg's list of the files of the installed package. */
  static final Path DPKG_LIST = Path.of("/var/lib/dpkg/info/" + DEBIAN_PACKAGE + ".list");

  /** Downloads the package's .deb into a directory and returns its path (a seam for tests). */
  @FunctionalInterface
  interface Download {
    Path into(Path dir) throws IOException;
  }

  private Fortunes() {}

  /**
   * All the records, from the installed package, the cache or a fetch (see the class comment).
   * Throws {@link UncheckedIOException} with the reason if none of these works.
   */
  public static List<String> records() {
    try {
      return records(INSTALLED_DIR, DPKG_LIST, cacheFile(), Fortunes::aptGetDownload);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read Debian's " + DEBIAN_PACKAGE + " package: " + e.getMessage(), e);
    }
  }

  /** The cache of the fetched records: {@code fortunes/fortunes.txt} in {@link Mnist#cacheDir()}. */
  public static Path cacheFile() {
    return Mnist.cacheDir().resolve("fortunes").resolve("fortunes.txt");
  }

  static List<String> records(Path installedDir, Path dpkgList, Path cache, Download download) throws IOException {
    List<Path> installed = installedFiles(installedDir, dpkgList);
    if (!installed.isEmpty()) return readFiles(installed);
    if (Files.isRegularFile(cache)) {
      List<String> cached = parse(readUtf8(cache));
      if (cached.isEmpty()) throw new IOException(cache + " holds no fortunes; delete it to fetch them again");
      return cached;
    }
    return fetch(cache, download);
  }

  /**
   * Downloads the package whatever is installed or cached, and (re)writes {@code cache} atomically;
   * returns the records. Throws {@link IOException} if apt-get or dpkg-deb is missing or fails.
   */
  public static List<String> fetch(Path cache) throws IOException {
    return fetch(cache, Fortunes::aptGetDownload);
  }

  static List<String> fetch(Path cache, Download download) throws IOException {
    Path tmp = Files.createTempDirectory("nabla-fortunes");
    try {
      System.err.println("fortunes: apt-get download " + DEBIAN_PACKAGE + " (first use; cached in "
          + cache.toAbsolutePath().getParent() + ")");
      Path deb = download.into(tmp);
      Path root = tmp.resolve("root");
      Files.createDirectories(root);
      run(tmp, "dpkg-deb", "-x", deb.toString(), root.toString());
      Path dir = root.resolve(DATA_DIR);
      if (!Files.isDirectory(dir)) throw new IOException(deb.getFileName() + " has no " + DATA_DIR + "/");
      List<String> records = readDirectory(dir);
      if (records.isEmpty()) throw new IOException(deb.getFileName() + " has no fortunes in " + DATA_DIR + "/");
      String text = format(records);
      if (!parse(text).equals(records)) throw new IOException("the fortunes do not survive the cache format"); // cannot happen
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      Files.createDirectories(cache.toAbsolutePath().getParent());
      AtomicFiles.write(cache, ch -> {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
      });
      long chars = 0;
      for (String r : records) chars += r.length();
      System.err.println(String.format(Locale.ROOT, "fortunes: %,d records, %,d characters from %s",
          records.size(), chars, deb.getFileName()));
      return records;
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * The records of the fortune files directly in {@code dir}, files in the order of their sorted
   * names: every regular file except hidden ones, {@code .dat} indexes and {@code .u8} files;
   * symbolic links and subdirectories are skipped.
   */
  public static List<String> readDirectory(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Fortunes::isFortuneFile).toList();
    }
    return readFiles(files);
  }

  /** Whether {@code p} is a fortune file: a regular file, not a link, not hidden, not an index. */
  static boolean isFortuneFile(Path p) {
    String name = p.getFileName().toString();
    return !name.startsWith(".") && !name.endsWith(".dat") && !name.endsWith(".u8")
        && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
  }

  private static List<String> readFiles(List<Path> files) throws IOException {
    List<Path> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(p -> p.getFileName().toString()));
    List<String> records = new ArrayList<>();
    for (Path f : sorted) records.addAll(parse(readUtf8(f)));
    return records;
  }

  /** The files of the installed package per dpkg's list, or none if it is not installed. */
  private static List<Path> installedFiles(Path installedDir, Path dpkgList) throws IOException {
    if (!Files.isRegularFile(dpkgList) || !Files.isDirectory(installedDir)) return List.of();
    String prefix = "/" + DATA_DIR + "/";
    List<Path> files = new ArrayList<>();
    for (String line : Files.readAllLines(dpkgList, StandardCharsets.UTF_8)) {
      if (!line.startsWith(prefix)) continue;
      String name = line.substring(prefix.length());
      if (name.isEmpty() || name.contains("/")) continue;
      Path p = installedDir.resolve(name);
      if (isFortuneFile(p)) files.add(p);
    }
    return files;
  }

  /**
   * The records of one fortune file: the text between lines holding only {@code %} (a trailing
   * {@code \r} allowed), without the newline that ends a record's last line. Text after the last
   * separator is a record too; empty and all-whitespace records are dropped.
   */
  public static List<String> parse(String text) {
    List<String> records = new ArrayList<>();
    int recordStart = 0;
    int lineStart = 0;
    int n = text.length();
    while (lineStart <= n) {
      int end = text.indexOf('\n', lineStart);
      int lineEnd = end < 0 ? n : end;
      int contentEnd = lineEnd > lineStart && text.charAt(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
      boolean separator = contentEnd - lineStart == 1 && text.charAt(lineStart) == '%';
      if (separator) {
        add(records, text, recordStart, Math.max(recordStart, lineStart - 1));
        recordStart = end < 0 ? n : end + 1;
      }
      if (end < 0) break;
      lineStart = end + 1;
    }
    if (recordStart < n) {
      int last = text.endsWith("\n") ? n - 1 : n;
      add(records, text, recordStart, Math.max(recordStart, last));
    }
    return records;
  }

  private static void add(List<String> records, String text, int from, int to) {
    String r = text.substring(from, to);
    if (!r.isBlank()) records.add(r);
  }

  /** The records in the fortune format: each one followed by a line holding {@code %}; {@link #parse} reads it back. */
  public static String format(List<String> records) {
    StringBuilder b = new StringBuilder();
    for (String r : records) b.append(r).append("\n%\n");
    return b.toString();
  }

  private static String readUtf8(Path file) throws IOException {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not UTF-8 text", e);
    }
  }

  /** {@code apt-get download fortunes} in {@code dir}; the .deb it wrote. */
  private static Path aptGetDownload(Path dir) throws IOException {
    try {
      run(dir, "apt-get", "download", DEBIAN_PACKAGE);
    } catch (IOException e) {
      throw new IOException(e.getMessage() + " (if apt-get does not know the package, its index may be"
          + " empty or stale: run apt-get update)", e);
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
          .orElseThrow(() -> new IOException("apt-get download produced no .deb in " + dir));
    }
  }

  /** Runs a command in {@code dir}; an IOException with its output if it cannot start or fails. */
  private static void run(Path dir, String... command) throws IOException {
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException(command[0] + " is not available (" + e.getMessage()
          + "); fetching the fortunes needs Debian's apt-get and dpkg-deb", e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    try {
      Processes.waitFor(p, String.join(" ", command));
    } catch (IOException e) {
      throw new IOException(e.getMessage() + ": " + out.toString(StandardCharsets.UTF_8).strip(), e);
    }
  }
}
