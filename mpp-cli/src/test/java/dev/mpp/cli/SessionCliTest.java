package dev.mpp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mpp fetch} pays the session route from a channel kept in the wallet file, a second process
 * continues the same channel, and {@code mpp session close} settles it.
 */
@ExtendWith(LocalStackExtension.class)
class SessionCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DevAccount PAYER = DevAccount.get(6);

  @TempDir Path dir;

  @Test
  void fetchPaysBySessionAcrossProcessesAndSessionCloseSettles(LocalStack stack) throws Exception {
    Path wallet = dir.resolve("wallet.db");
    String url = stack.url(ServerRoute.TEMPO_SESSION).toString();
    Map<String, String> env = Map.of("MPP_PRIVATE_KEY", PAYER.privateKeyHex());
    List<String> walletArgs =
        List.of(
            "--wallet",
            wallet.toString(),
            "--chain-id",
            "1337",
            "--rpc-url",
            stack.rpcUrl().toString(),
            "--trust-escrow",
            stack.server().escrow());

    for (String client : List.of("okhttp", "jdk")) {
      List<String> args = new ArrayList<>(List.of("fetch", url, "--max-lockable", "0.01usd"));
      args.addAll(walletArgs);
      args.addAll(List.of("--http-client", client));
      CliProcess.Result fetched = CliProcess.run("", env, args.toArray(String[]::new));
      assertThat(fetched.exit()).as(fetched.stderr()).isZero();
      JsonNode payment = JSON.readTree(fetched.stderr().strip().lines().reduce((a, b) -> b).get());
      assertThat(payment.toString()).contains("session");
    }

    List<String> listArgs = new ArrayList<>(List.of("session", "list"));
    listArgs.addAll(walletArgs);
    CliProcess.Result listed = CliProcess.run("", Map.of(), listArgs.toArray(String[]::new));
    assertThat(listed.exit()).as(listed.stderr()).isZero();
    List<String> lines = listed.stdout().strip().lines().toList();
    assertThat(lines).hasSize(1);
    JsonNode channel = JSON.readTree(lines.get(0));
    assertThat(channel.path("status").asText()).isEqualTo("OPEN");
    assertThat(channel.path("accepted").asText()).isEqualTo("2000");
    assertThat(channel.path("deposit").asText()).isEqualTo("10000");

    List<String> closeArgs = new ArrayList<>(List.of("session", "close"));
    closeArgs.addAll(walletArgs);
    CliProcess.Result closed = CliProcess.run("", env, closeArgs.toArray(String[]::new));
    assertThat(closed.exit()).as(closed.stderr()).isZero();
    JsonNode result = JSON.readTree(closed.stdout().strip());
    assertThat(result.path("channelId").asText()).isEqualTo(channel.path("channelId").asText());
    assertThat(result.path("settled").asText()).isEqualTo("2000");
    assertThat(result.path("refunded").asText()).isEqualTo("8000");
    assertThat(result.path("closeTxHash").asText()).matches("0x[0-9a-f]{64}");
  }
}
