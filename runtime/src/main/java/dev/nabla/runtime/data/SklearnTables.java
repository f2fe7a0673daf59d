package dev.nabla.runtime.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The small tables scikit-learn ships in {@code sklearn/datasets/data/} (Boston house prices, breast
 * cancer, iris, wine...), taken from Debian's {@value #DEBIAN_PACKAGE} package without installing
 * anything: {@code apt-get download python3-sklearn} into a temporary directory, then
 * {@code dpkg-deb --fsys-tarfile} turns the {@code .deb} (an {@code ar} archive holding
 * {@code data.tar.xz}; the JDK has no xz decoder, so dpkg-deb does the decompression) into a plain
 * tar stream that {@link Tar} reads. Each table is cached under {@link Mnist#cacheDir()}.
 */
public final class SklearnTables {
  /** The Debian package that ships the tables. */
  public static final String DEBIAN_PACKAGE = "python3-sklearn";
  /** The tables' directory inside the package. */
  public static final String DATA_DIR = "usr/lib/python3/dist-packages/sklearn/datasets/data/";

  /** Checks a fetched table before it is cached; throws IOException to refuse it. */
  @FunctionalInterface
  public interface Check {
    void check(byte[] data) throws IOException;
  }

  private SklearnTables() {}

  /**
   * The cached file {@code target}, fetched first when missing: the table {@code name} (e.g.
   * {@code breast_cancer.csv}) of {@value #DEBIAN_PACKAGE}, checked by {@code check} and then moved
   * into place atomically. Throws {@link IOException} if apt-get or dpkg-deb is missing or fails.
   */
  public static Path fetch(String name, Path target, Check check) throws IOException {
    if (Files.isRegularFile(target)) return target;
    Path tmp = Files.createTempDirectory("nabla-sklearn");
    try {
      System.err.println("sklearn tables: apt-get download " + DEBIAN_PACKAGE + " for " + name
          + " (first use; cached in " + target.getParent() + ")");
      run(tmp, "apt-get", "download", DEBIAN_PACKAGE);
      Path deb;
      try (Stream<Path> s = Files.list(tmp)) {
        deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
            .orElseThrow(() -> new IOException("apt-get download produced no .deb in " + tmp));
      }
      byte[] data = extract(deb, DATA_DIR + name);
      check.check(data); // refuse to cache a broken table
      Files.createDirectories(target.getParent());
      Path part = target.resolveSibling(target.getFileName() + ".part");
      Files.write(part, data);
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Reads a text table as UTF-8; {@link UncheckedIOException} naming the file on failure. */
  static String read(Path csv) {
    try {
      return Files.readString(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
    }
  }

  /** The file {@code pathInPackage} from the .deb: {@code dpkg-deb --fsys-tarfile} decompresses data.tar.xz. */
  private static byte[] extract(Path deb, String pathInPackage) throws IOException {
    Process p = start(deb.getParent(), List.of("dpkg-deb", "--fsys-tarfile", deb.toString()));
    Map<String, byte[]> files;
    try (InputStream in = p.getInputStream()) {
      files = Tar.read(in, name -> name.endsWith(pathInPackage));
      in.transferTo(OutputStreamNull.INSTANCE);
    }
    Processes.waitFor(p, "dpkg-deb --fsys-tarfile");
    return files.values().stream().findFirst()
        .orElseThrow(() -> new IOException(deb.getFileName() + " has no " + pathInPackage));
  }

  private static void run(Path dir, String... command) throws IOException {
    Process p = start(dir, List.of(command));
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

  private static Process start(Path dir, List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    if (!command.get(0).equals("dpkg-deb")) pb.redirectErrorStream(true);
    else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new IOException(command.get(0) + " is not available (" + e.getMessage()
          + "); fetching needs Debian's apt-get and dpkg-deb", e);
    }
  }

  private static final class OutputStreamNull extends java.io.OutputStream {
    static final OutputStreamNull INSTANCE = new OutputStreamNull();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
