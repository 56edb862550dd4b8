package dev.mpp.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout the benchmarks run from: scripts, the reference server, the CLI jar. */
public final class RepoRoot {
  static final String SERVER_DIR = "examples/mpp-server";

  private RepoRoot() {}

  /**
   * {@code -Dmpp.repo.root}, env {@code MPP_REPO_ROOT}, or the first directory above the working
   * directory that holds {@code examples/mpp-server/package.json}.
   */
  public static Path find() {
    String configured = System.getProperty("mpp.repo.root", System.getenv("MPP_REPO_ROOT"));
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SERVER_DIR).resolve("package.json"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "run from inside the repository (or set -Dmpp.repo.root): no "
            + SERVER_DIR
            + "/package.json above "
            + Path.of("").toAbsolutePath());
  }

  /** The reference server's directory (its node_modules hold mppx). */
  public static Path serverDir() {
    return find().resolve(SERVER_DIR);
  }

  /** The Node.js executable: {@code -Dmpp.node}, env {@code MPP_NODE}, or {@code node}. */
  public static String node() {
    return System.getProperty("mpp.node", System.getenv().getOrDefault("MPP_NODE", "node"));
  }
}
