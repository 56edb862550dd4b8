package dev.mpp.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DecodeChallengeTest {
  @Test
  void printsTheSampleAsJson() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      DecodeChallenge.main(new String[0]);
    } finally {
      System.setOut(saved);
    }

    assertThat(new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8)))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    """
                    {
                      "id": "ITdnfSy5EVxmsDHMll-mcEbGENBvnz3jfySVS8uFS7Y",
                      "realm": "api.example.com",
                      "method": "tempo",
                      "intent": "charge",
                      "expires": "2025-01-01T00:00:00.000Z",
                      "request": {
                        "amount": "1000000000",
                        "currency": "0x20c0000000000000000000000000000000000001",
                        "recipient": "0x742d35Cc6634C0532925a3b844Bc9e7595f8fE00"
                      }
                    }
                    """));
  }

  @Test
  void decodesAHeaderGivenOnTheCommandLineAndRejectsGarbage() throws Exception {
    String header =
        "WWW-Authenticate: Payment id=\"x\", realm=\"r\", method=\"stripe\","
            + " intent=\"charge\", request=\"eyJhbW91bnQiOiI1In0\"";
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      DecodeChallenge.main(header.split(" "));
    } finally {
      System.setOut(saved);
    }

    assertThat(new ObjectMapper().readTree(captured.toString(StandardCharsets.UTF_8)))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"id\":\"x\",\"realm\":\"r\",\"method\":\"stripe\","
                        + "\"intent\":\"charge\",\"request\":{\"amount\":\"5\"}}"));
    assertThatThrownBy(() -> DecodeChallenge.describe("Bearer realm=\"x\""))
        .isInstanceOf(ProtocolException.class);
  }
}
