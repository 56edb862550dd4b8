package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Startup failures are bounded and explained; close leaves no process behind. */
class ManagedProcessTest {

  private static final String KEY_LIKE = "0x" + "ab".repeat(32);

  @TempDir Path dir;

  private ManagedProcess sh(String script) {
    return ManagedProcess.start("sh", List.of("/bin/sh", "-c", script), dir, Map.of(), dir);
  }

  @Test
  void readinessLineIsFoundInTheLog() {
    try (ManagedProcess process = sh("echo booting; echo 'ready at 4242'; sleep 30")) {
      String port =
          process.awaitLogLine(
              line ->
                  line.startsWith("ready at ") ? Optional.of(line.substring(9)) : Optional.empty(),
              Duration.ofSeconds(10),
              "readiness");

      assertThat(port).isEqualTo("4242");
    }
  }

  @Test
  void earlyExitIsReportedWithARedactedLogTail() {
    ManagedProcess process = sh("echo 'key " + KEY_LIKE + "'; echo boom; exit 3");

    assertThatThrownBy(
            () -> process.awaitLogLine(line -> Optional.empty(), Duration.ofSeconds(10), "x"))
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("boom")
        .hasMessageContaining("0x<redacted>")
        .hasMessageNotContaining(KEY_LIKE);
  }

  @Test
  void timeoutStopsTheProcess() {
    ManagedProcess process = sh("sleep 30");

    assertThatThrownBy(
            () ->
                process.awaitLogLine(
                    line -> Optional.empty(), Duration.ofMillis(200), "its ready line"))
        .isInstanceOf(StackUnavailableException.class)
        .hasMessageContaining("did not report its ready line");
    assertThat(process.isAlive()).isFalse();
  }

  @Test
  void closeAlsoStopsDescendants() {
    ManagedProcess process = sh("sleep 60 & echo child $!; wait");
    long child =
        process.awaitLogLine(
            line ->
                line.startsWith("child ")
                    ? Optional.of(Long.parseLong(line.substring(6).trim()))
                    : Optional.empty(),
            Duration.ofSeconds(10),
            "its child");
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).contains(true);

    process.close();

    assertThat(process.isAlive()).isFalse();
    assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).isEmpty();
  }
}
