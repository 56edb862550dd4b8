package dev.mpp.testkit.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a {@code main} class of the test class path in a new JVM and collects its output. */
final class ChildProcess {
  private ChildProcess() {}

  /**
   * Runs {@code main} with {@code args}; fails unless it exits 0 within {@code timeout}.
   *
   * @return the output lines (stdout and stderr)
   */
  static List<String> run(Class<?> main, Duration timeout, String... args)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("mpp-child-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(
            main.getSimpleName() + " did not finish in " + timeout + ": " + read(output));
      }
      List<String> lines = read(output);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            main.getSimpleName() + " exited " + process.exitValue() + ": " + lines);
      }
      return lines;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static List<String> read(Path output) throws IOException {
    return Files.readAllLines(output, StandardCharsets.UTF_8);
  }
}
