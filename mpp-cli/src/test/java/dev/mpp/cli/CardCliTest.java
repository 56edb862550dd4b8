package dev.mpp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.testkit.stack.LocalCardServer;
import dev.mpp.testkit.stack.LocalCardServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code mpp fetch --card FILE} against the local card merchant, which decrypts the credential. */
@ExtendWith(LocalCardServerExtension.class)
class CardCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "4895370012003478";

  @TempDir Path dir;

  @Test
  void fetchPaysACardOfferWithTheTokenFromTheEnvironment(LocalCardServer server) throws Exception {
    Path card = dir.resolve("card.json");
    Files.writeString(
        card,
        "{\"id\":\"card_cli\",\"network\":\"visa\",\"lastFour\":\"4242\","
            + "\"expiration\":{\"month\":\"12\",\"year\":\"2099\"},"
            + "\"token\":{\"env\":\"MPP_CARD_TOKEN\","
            + "\"expiration\":{\"month\":\"06\",\"year\":\"2034\"},\"eci\":\"07\"},"
            + "\"cryptograms\":{\"url\":\""
            + server.url("/enabler/cryptograms")
            + "\"},"
            + "\"allowPlainHttpOnLoopbackForTesting\":true}");
    Path wallet = dir.resolve("wallet.db");

    CliProcess.Result result =
        CliProcess.run(
            "",
            Map.of("MPP_CARD_TOKEN", TOKEN),
            "fetch",
            server.url("/card/jwks").toString(),
            "--wallet",
            wallet.toString(),
            "--card",
            card.toString(),
            "--max-per-payment",
            "2.00usd");

    assertThat(result.exit()).as(result.stderr()).isZero();
    assertThat(result.stdout()).contains("paid card content");
    JsonNode line = JSON.readTree(result.stderr().strip());
    assertThat(line.get("paid").asBoolean()).isTrue();
    assertThat(line.get("method").asText()).isEqualTo("card");
    assertThat(line.get("usd").asText()).isEqualTo("1.25");
    assertThat(line.get("reference").asText()).startsWith("visa_txn_");
    assertThat(result.stdout() + result.stderr()).doesNotContain(TOKEN);
  }
}
