package dev.nabla.runtime.data;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Waiting for the Debian tools the data fetchers run ({@code apt-get download}, {@code dpkg-deb}). */
final class Processes {
  private Processes() {}

  /** Waits up to ten minutes; an IOException if it times out, is interrupted or exits non-zero. */
  static void waitFor(Process p, String what) throws IOException {
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(what + " timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted while running " + what, e);
    }
    if (p.exitValue() != 0) throw new IOException(what + " failed with exit status " + p.exitValue());
  }
}
