package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs mppx's own client ({@code examples/mpp-server/smoke-client.mjs}) against the stack: proves
 * the server really settles pull, push, sponsored and zero-amount payments, independently of our
 * Java client.
 */
@ExtendWith(LocalStackExtension.class)
class ReferenceClientSmokeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void referenceClientPaysEveryRoute(LocalStack stack) throws Exception {
    StackEnvironment env = StackEnvironment.detect();
    Path output = Files.createTempFile(env.logDir(), "smoke-client-", ".log");
    Process process =
        new ProcessBuilder(
                env.nodeExecutable().toString(),
                env.serverDir().resolve("smoke-client.mjs").toString(),
                "--server",
                stack.server().baseUrl().toString(),
                "--rpc-url",
                stack.rpcUrl().toString(),
                // dev account 3: no other test in this module pays from it
                "--private-key",
                DevAccount.get(3).privateKeyHex())
            .directory(env.serverDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = process.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }

    List<JsonNode> steps = steps(output);
    assertThat(exited).as("smoke client finished within 120 s").isTrue();
    assertThat(process.exitValue()).as(Files.readString(output)).isZero();
    assertThat(steps)
        .extracting(step -> step.path("step").asText())
        .containsExactly(
            "tempo-charge-pull",
            "tempo-charge-push",
            "tempo-sponsored",
            "tempo-zero",
            "test-charge",
            "multi-via-test",
            "test-bad-mac",
            "tempo-replay",
            "done");
    assertThat(steps).allSatisfy(step -> assertThat(step.path("ok").asBoolean()).isTrue());
    assertThat(steps.get(0).path("receipt").path("reference").asText()).matches("0x[0-9a-f]{64}");
  }

  private static List<JsonNode> steps(Path output) throws IOException {
    List<JsonNode> steps = new ArrayList<>();
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        steps.add(JSON.readTree(line));
      }
    }
    return steps;
  }
}
