package dev.nabla.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project's files are, for the benchmarks that read them or run the shared scripts. */
final class Repo {
  private Repo() {}

  /**
   * The repository root: {@code -Dnabla.repo} if set, otherwise the nearest directory at or above
   * the working directory that holds {@code bench/pom.xml} (exec:exec runs in bench/).
   */
  static Path root() {
    String p = System.getProperty("nabla.repo");
    if (p != null) return Path.of(p).toAbsolutePath().normalize();
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("bench/pom.xml"))) return d;
    }
    throw new IllegalStateException("run inside the repository (or set -Dnabla.repo): no bench/pom.xml above "
        + Path.of("").toAbsolutePath());
  }

  /** {@code shared/}, which developers and CI keep beside the repository. */
  static Path shared() {
    return root().resolveSibling("shared");
  }
}
