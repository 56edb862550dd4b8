package dev.mpp.testkit.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A child process whose output goes to a log file, with bounded startup and shutdown.
 *
 * <p>Readiness is read back from the log file rather than from a pipe: nothing has to drain a pipe
 * for the life of the process, and the log survives for post-mortems. Every live process is also
 * registered with one JVM shutdown hook, so a crashed or interrupted test run leaves no orphans.
 */
final class ManagedProcess implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(25);
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  // Hashes and keys look alike; redact every 32-byte hex string from text that leaves the log.
  private static final Pattern HEX32 = Pattern.compile("0x[0-9a-fA-F]{64}");

  private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (ManagedProcess process : LIVE) {
                    process.close();
                  }
                },
                "mpp-stack-reaper"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code command} in {@code workingDir} with extra environment variables; output and
   * errors go to a new {@code <name>-<timestamp>-<n>.log} in {@code logDir}.
   */
  static ManagedProcess start(
      String name, List<String> command, Path workingDir, Map<String, String> env, Path logDir) {
    Path log;
    try {
      log =
          Files.createTempFile(
              logDir, name + "-" + LocalDateTime.now().format(STAMP) + "-", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a log file in " + logDir, e);
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new StackUnavailableException("cannot start " + name + " (" + command.get(0) + ")", e);
    }
    // Closing stdin tells well-behaved children there is no input; it is never used.
    try {
      process.getOutputStream().close();
    } catch (IOException ignored) {
      // the child may already have exited; startup checks report that
    }
    ManagedProcess managed = new ManagedProcess(name, process, log);
    LIVE.add(managed);
    return managed;
  }

  /**
   * Polls the log until {@code matcher} maps one of its lines to a value, the process dies, or
   * {@code timeout} passes; the latter two stop the process and throw with the log's tail.
   */
  <T> T awaitLogLine(Function<String, Optional<T>> matcher, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (String line : readLog()) {
        Optional<T> match = matcher.apply(line);
        if (match.isPresent()) {
          return match.get();
        }
      }
      if (!process.isAlive()) {
        String tail = tail();
        close();
        throw new StackUnavailableException(
            name
                + " exited with code "
                + process.exitValue()
                + " before "
                + what
                + "; log "
                + log
                + ":\n"
                + tail);
      }
      if (System.nanoTime() - deadline > 0) {
        String tail = tail();
        close();
        throw new StackUnavailableException(
            name
                + " did not report "
                + what
                + " within "
                + timeout
                + "; log "
                + log
                + ":\n"
                + tail);
      }
      sleep(POLL);
    }
  }

  /** Fails the caller's startup: stops the process and throws with the log's tail. */
  StackUnavailableException failStartup(String reason, Throwable cause) {
    String tail = tail();
    close();
    return new StackUnavailableException(
        name + ": " + reason + "; log " + log + ":\n" + tail, cause);
  }

  private List<String> readLog() {
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + log, e);
    }
  }

  /** The last lines of the log with 32-byte hex strings redacted, for error messages. */
  String tail() {
    List<String> lines;
    try {
      lines = readLog();
    } catch (UncheckedIOException e) {
      return "(log unreadable: " + e.getCause().getMessage() + ")";
    }
    List<String> last = lines.subList(Math.max(0, lines.size() - 20), lines.size());
    return HEX32.matcher(String.join("\n", last)).replaceAll("0x<redacted>");
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /**
   * Stops the process and its descendants: SIGTERM, up to five seconds' grace, then SIGKILL.
   * Idempotent.
   */
  @Override
  public void close() {
    LIVE.remove(this);
    // Snapshot first: once the parent dies, its children are re-parented and no longer listed.
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroy();
    descendants.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    try {
      if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
      for (ProcessHandle descendant : descendants) {
        awaitExit(descendant, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitExit(ProcessHandle handle, Duration grace) throws InterruptedException {
    // Polled: onExit() of a non-child process is itself polled by the JDK, with seconds of delay.
    if (!pollUntilDead(handle, grace)) {
      handle.destroyForcibly();
      pollUntilDead(handle, GRACE);
    }
  }

  private static boolean pollUntilDead(ProcessHandle handle, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (handle.isAlive()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(POLL.toMillis());
    }
    return true;
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackUnavailableException("interrupted while waiting for the local stack", e);
    }
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + ", log " + log + "]";
  }
}
