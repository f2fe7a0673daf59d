package dev.nabla.runtime.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file so that a crash or an exception never leaves it half-written: the new contents go
 * to a temporary file in the same directory, are forced to disk, then renamed over the target
 * atomically, and the directory is forced so that the rename itself is durable.
 */
public final class AtomicFiles {

  /** Writes the contents of a file to a channel. */
  @FunctionalInterface
  public interface Body {
    void writeTo(FileChannel channel) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Calls {@code body} on a fresh temporary file next to {@code target}, forces it to disk and moves
   * it over {@code target} with {@code ATOMIC_MOVE}. If anything fails the temporary file is deleted
   * and {@code target} is untouched. A symbolic link at {@code target} is replaced, not followed.
   */
  public static void write(Path target, Body body) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) throw new IOException(target + ": no parent directory");
    Path tmp = createTemp(dir, abs.getFileName().toString());
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        body.writeTo(ch);
        testPause();
        ch.force(true);
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (Throwable t) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        t.addSuppressed(e);
      }
      throw t;
    }
    syncDirectory(dir);
  }

  /**
   * Test hook: with the system property {@value #PAUSE_PROPERTY} set to a number of milliseconds,
   * every write sleeps that long after writing the temporary file and before forcing and renaming
   * it, so that a test can kill the JVM in the middle of a save. Never set it outside tests.
   */
  static final String PAUSE_PROPERTY = "nabla.test.atomicFilesPauseMillis";

  private static void testPause() throws IOException {
    String pause = System.getProperty(PAUSE_PROPERTY);
    if (pause == null) return;
    try {
      Thread.sleep(Long.parseLong(pause));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted in the test pause of " + PAUSE_PROPERTY);
    }
  }

  /**
   * Deletes the temporary files a killed or crashed {@link #write} of {@code target} left behind
   * ({@code .<name>.<hex>.tmp} in its directory). Only safe when no other write of the same target
   * is in progress. Returns how many it deleted.
   */
  public static int deleteStaleTemps(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) return 0;
    String prefix = "." + abs.getFileName() + ".";
    int deleted = 0;
    try (var entries = Files.newDirectoryStream(dir, e -> {
      String n = e.getFileName().toString();
      return n.startsWith(prefix) && n.endsWith(".tmp")
          && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-f]{1,16}");
    })) {
      for (Path stale : entries) if (Files.deleteIfExists(stale)) deleted++;
    }
    return deleted;
  }

  /** A new empty file whose permissions follow the umask, unlike Files.createTempFile's owner-only ones. */
  private static Path createTemp(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return tmp;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) throw e;
      }
    }
  }

  /** Forces a directory's entries to disk where the platform allows opening a directory (not on Windows). */
  static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms and file systems refuse to open or sync a directory; the rename still happened.
    }
  }
}
