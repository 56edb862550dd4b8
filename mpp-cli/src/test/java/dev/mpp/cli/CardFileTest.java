package dev.mpp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.rail.card.CardRail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --card FILE}: what it reads, what it refuses, and that no secret is echoed. */
class CardFileTest {
  private static final String TOKEN = "4895370012003478";
  private static final String API_KEY = "ce_test_apikeyNeverShown";

  @TempDir Path dir;

  private Path write(String json) throws Exception {
    Path file = dir.resolve("card.json");
    Files.writeString(file, json);
    return file;
  }

  private static String card(String token, String extra) {
    return "{\"id\":\"card_abc123\",\"network\":\"visa\",\"lastFour\":\"4242\","
        + "\"expiration\":{\"month\":\"06\",\"year\":\"2028\"},"
        + "\"billing\":{\"zip\":\"94102\",\"countryCode\":\"US\"},"
        + "\"token\":{"
        + token
        + ",\"expiration\":{\"month\":\"06\",\"year\":\"2034\"},\"eci\":\"07\"},"
        + "\"cryptograms\":{\"url\":\"https://enabler.example/v1/cryptograms\","
        + "\"apiKeyEnv\":\"MPP_CARD_API_KEY\"}"
        + extra
        + "}";
  }

  @Test
  void readsTheCardWithSecretsFromTheEnvironment() throws Exception {
    Path file =
        write(
            card(
                "\"env\":\"MPP_CARD_TOKEN\"",
                ",\"fees\":{\"percent\":\"2.9\",\"fixedMinorUnits\":30}"));

    CardRail rail =
        CardFile.load(file, Map.of("MPP_CARD_TOKEN", TOKEN, "MPP_CARD_API_KEY", API_KEY)::get);

    assertThat(rail.method()).isEqualTo("card");
    assertThat(rail.toString()).doesNotContain(TOKEN).doesNotContain(API_KEY);
  }

  @Test
  void refusesUnknownKeysMissingSecretsAndBothSourcesWithoutEchoingValues() throws Exception {
    Path misspelt = write(card("\"value\":\"" + TOKEN + "\"", ",\"bililng\":{}"));
    assertThatThrownBy(() -> CardFile.load(misspelt, Map.of("MPP_CARD_API_KEY", API_KEY)::get))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("$.bililng is not a known key")
        .hasMessageNotContaining(TOKEN);

    Path both = write(card("\"value\":\"" + TOKEN + "\",\"env\":\"MPP_CARD_TOKEN\"", ""));
    assertThatThrownBy(() -> CardFile.load(both, Map.of("MPP_CARD_API_KEY", API_KEY)::get))
        .hasMessageContaining("$.token needs exactly one of value and env")
        .hasMessageNotContaining(TOKEN);

    Path unset = write(card("\"env\":\"MPP_CARD_TOKEN\"", ""));
    assertThatThrownBy(() -> CardFile.load(unset, Map.<String, String>of()::get))
        .hasMessageContaining("MPP_CARD_TOKEN, which is not set");

    Path badToken = write(card("\"value\":\"4895-3700-1200-3478\"", ""));
    assertThatThrownBy(() -> CardFile.load(badToken, Map.of("MPP_CARD_API_KEY", API_KEY)::get))
        .hasMessageContaining("paymentToken must be 12 to 19 digits")
        // the random temp directory in the message may contain any digits: judge the rest
        .satisfies(
            e ->
                assertThat(e.getMessage().replace(badToken.toString(), "")).doesNotContain("3478"));
  }
}
