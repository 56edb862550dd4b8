package dev.mpp.testkit.stack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Where the stack's pieces live on this machine: the repository root, the Node.js executable, the
 * installed reference server and anvil binary, and the log directory.
 *
 * <p>Missing pieces fail loudly with instructions, in CI and locally alike: a silently skipped
 * real-peer test would hide exactly the regressions it exists to catch.
 */
final class StackEnvironment {

  static final String SERVER_DIR = "examples/mpp-server";
  private static final String INSTALL_HINT =
      "run: cd "
          + SERVER_DIR
          + " && npm ci --ignore-scripts   (or bash "
          + SERVER_DIR
          + "/ci-setup.sh)";

  private final Path repoRoot;
  private final Path serverDir;
  private final Path logDir;
  private final UnaryOperator<String> env;
  private final UnaryOperator<String> properties;

  private StackEnvironment(
      Path repoRoot, Path logDir, UnaryOperator<String> env, UnaryOperator<String> properties) {
    this.repoRoot = repoRoot;
    this.serverDir = repoRoot.resolve(SERVER_DIR);
    this.logDir = logDir;
    this.env = env;
    this.properties = properties;
  }

  /**
   * Locates the repository from {@code -Dmpp.repo.root}, env {@code MPP_REPO_ROOT}, or by walking
   * up from the working directory; logs go to {@code target/stack-logs} under the working directory
   * (the module directory under Surefire).
   */
  static StackEnvironment detect() {
    return detect(Path.of(System.getProperty("user.dir")), System::getenv, System::getProperty);
  }

  /** {@link #detect()} with the working directory, environment and system properties given. */
  static StackEnvironment detect(
      Path workingDir, UnaryOperator<String> env, UnaryOperator<String> properties) {
    Path dir = workingDir.toAbsolutePath().normalize();
    return new StackEnvironment(
        findRepoRoot(dir, env, properties), dir.resolve("target/stack-logs"), env, properties);
  }

  private static Path findRepoRoot(
      Path start, UnaryOperator<String> env, UnaryOperator<String> properties) {
    String configured =
        firstNonBlank(properties.apply("mpp.repo.root"), env.apply("MPP_REPO_ROOT"));
    if (configured != null && !configured.isBlank()) {
      Path root = Path.of(configured).toAbsolutePath().normalize();
      if (!Files.isRegularFile(root.resolve(SERVER_DIR).resolve("package.json"))) {
        throw new StackUnavailableException(
            "mpp.repo.root / MPP_REPO_ROOT points to " + root + ", which has no " + SERVER_DIR);
      }
      return root;
    }
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(SERVER_DIR).resolve("package.json"))) {
        return dir;
      }
    }
    throw new StackUnavailableException(
        "cannot find the repository root (a directory containing "
            + SERVER_DIR
            + "/package.json) above "
            + start
            + "; set -Dmpp.repo.root=<path>");
  }

  Path repoRoot() {
    return repoRoot;
  }

  Path serverDir() {
    return serverDir;
  }

  Path serverScript() {
    return serverDir.resolve("server.mjs");
  }

  /** Creates (if needed) and returns the log directory. */
  Path logDir() {
    try {
      return Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log directory " + logDir, e);
    }
  }

  /** The anvil binary npm installed for this OS and CPU. */
  Path anvilBinary() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String platform =
        os.contains("win")
            ? "win32"
            : os.contains("mac") || os.contains("darwin") ? "darwin" : "linux";
    String cpu =
        switch (arch) {
          case "amd64", "x86_64" -> "amd64";
          case "aarch64", "arm64" -> "arm64";
          default ->
              throw new StackUnavailableException(
                  "anvil ships no binary for CPU architecture " + arch);
        };
    Path binary =
        serverDir
            .resolve("node_modules/@foundry-rs/anvil-" + platform + "-" + cpu + "/bin")
            .resolve(platform.equals("win32") ? "anvil.exe" : "anvil");
    requireInstalled(binary, "the anvil binary");
    if (!Files.isExecutable(binary)) {
      throw new StackUnavailableException(binary + " is not executable; " + INSTALL_HINT);
    }
    return binary;
  }

  /** Checks that the reference server's npm dependencies are installed. */
  void requireServerInstalled() {
    requireInstalled(serverDir.resolve("node_modules/mppx/package.json"), "mppx");
    requireInstalled(serverDir.resolve("node_modules/viem/package.json"), "viem");
  }

  /**
   * The Node.js executable: {@code -Dmpp.node}, env {@code MPP_NODE}, or {@code node} on the {@code
   * PATH}.
   */
  Path nodeExecutable() {
    String configured = firstNonBlank(properties.apply("mpp.node"), env.apply("MPP_NODE"));
    if (configured != null && !configured.isBlank()) {
      Path node = Path.of(configured);
      if (!Files.isExecutable(node)) {
        throw new StackUnavailableException("mpp.node / MPP_NODE is not executable: " + node);
      }
      return node;
    }
    String path = env.apply("PATH");
    if (path != null) {
      for (String entry : path.split(File.pathSeparator)) {
        for (String name : new String[] {"node", "node.exe"}) {
          Path candidate = Path.of(entry).resolve(name);
          if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
            return candidate;
          }
        }
      }
    }
    throw new StackUnavailableException(
        missingPrefix()
            + "Node.js (>= 20) is not on the PATH; install it, or set -Dmpp.node=<path to node>");
  }

  private void requireInstalled(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new StackUnavailableException(
          missingPrefix() + what + " is not installed (" + file + " is missing); " + INSTALL_HINT);
    }
  }

  private static String firstNonBlank(String first, String second) {
    return first != null && !first.isBlank() ? first : second;
  }

  private String missingPrefix() {
    String ci = env.apply("CI");
    return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")
        ? "CI is set and the local MPP stack is required, but "
        : "The local MPP stack (anvil + mppx reference server) is required by this test, but ";
  }
}
