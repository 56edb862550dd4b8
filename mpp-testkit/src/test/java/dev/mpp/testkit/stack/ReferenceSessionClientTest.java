package dev.mpp.testkit.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The session route and the escrow fixture, checked with mppx 0.6.31's own session client ({@code
 * examples/mpp-server/session-smoke.mjs}): open, voucher-paid requests, cooperative close, and the
 * escrow finalized with exactly the vouchers settled. Also checks that the checked-in escrow
 * bytecode is what the checked-in source compiles to, with an ABI identical to mppx's.
 */
@ExtendWith(LocalStackExtension.class)
class ReferenceSessionClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void referenceClientOpensPaysAndClosesAChannel(LocalStack stack) throws Exception {
    int requests = 12;
    JsonNode result =
        runNode(
            "session-smoke.mjs",
            "--server",
            stack.server().baseUrl().toString(),
            "--rpc-url",
            stack.rpcUrl().toString(),
            "--escrow",
            stack.server().escrow(),
            "--requests",
            Integer.toString(requests),
            // dev account 4: no other test pays from it
            "--payer-key",
            DevAccount.get(4).privateKeyHex());

    BigInteger price = ServerRoute.TEMPO_SESSION.offer().amount();
    assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
    assertThat(result.path("finalized").asBoolean()).isTrue();
    assertThat(new BigInteger(result.path("settled").asText()))
        .isEqualTo(price.multiply(BigInteger.valueOf(requests)));
    assertThat(result.path("closeTxHash").asText()).matches("0x[0-9a-f]{64}");
  }

  @Test
  void escrowArtifactIsTheCompiledSourceWithMppxsAbi() throws Exception {
    JsonNode result = runNode("contracts/compile-escrow.mjs", "--check");

    assertThat(result.path("ok").asBoolean()).as(result.toString()).isTrue();
    assertThat(result.path("compiler").asText()).startsWith("solc 0.8.30");
  }

  private static JsonNode runNode(String script, String... args) throws Exception {
    StackEnvironment env = StackEnvironment.detect();
    Path output = Files.createTempFile(env.logDir(), "node-", ".log");
    List<String> command = new java.util.ArrayList<>();
    command.add(env.nodeExecutable().toString());
    command.add(env.serverDir().resolve(script).toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(env.serverDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    boolean exited = process.waitFor(180, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly();
    }
    assertThat(exited).as(script + " finished within 180 s").isTrue();
    assertThat(process.exitValue()).as(Files.readString(output)).isZero();
    return lastJsonLine(output);
  }

  private static JsonNode lastJsonLine(Path output) throws IOException {
    JsonNode last = null;
    for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        last = JSON.readTree(line);
      }
    }
    assertThat(last).as(Files.readString(output)).isNotNull();
    return last;
  }
}
