package dev.mpp.examples;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.MppException;
import dev.mpp.client.wire.Challenge;

/**
 * Decodes a {@code WWW-Authenticate: Payment} challenge and prints it as JSON: its id, realm,
 * method, intent, expiry and the decoded payment request. Without arguments it decodes a sample
 * Tempo charge; pass a header value to decode your own.
 *
 * <pre>{@code
 * mvn -B -ntp -q -pl examples -am package -DskipTests -Pdemo
 * }</pre>
 */
public final class DecodeChallenge {
  /** The sample challenge a Tempo-charging server sends with its 402. */
  public static final String SAMPLE =
      "Payment id=\"ITdnfSy5EVxmsDHMll-mcEbGENBvnz3jfySVS8uFS7Y\", realm=\"api.example.com\","
          + " method=\"tempo\", intent=\"charge\", request=\"eyJhbW91bnQiOiIxMDAwMDAwMDAwIiwiY3Vy"
          + "cmVuY3kiOiIweDIwYzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDEiLCJyZWNpcGllbnQi"
          + "OiIweDc0MmQzNUNjNjYzNEMwNTMyOTI1YTNiODQ0QmM5ZTc1OTVmOGZFMDAifQ\","
          + " expires=\"2025-01-01T00:00:00.000Z\"";

  private static final ObjectMapper JSON = new ObjectMapper();

  private DecodeChallenge() {}

  /**
   * Prints the decoded challenge.
   *
   * @param args optionally, the header value to decode (the {@code WWW-Authenticate:} prefix may be
   *     included); the sample otherwise
   */
  public static void main(String[] args) throws JsonProcessingException {
    String header = args.length == 0 ? SAMPLE : String.join(" ", args);
    header = header.replaceFirst("(?i)^\\s*WWW-Authenticate\\s*:\\s*", "");
    try {
      System.out.println(
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(describe(header)));
    } catch (MppException e) {
      System.err.println("not a valid Payment challenge: " + e.code() + ": " + e.getMessage());
      throw e;
    }
  }

  /**
   * The challenge in {@code header} as JSON.
   *
   * @throws MppException when the header holds no single valid Payment challenge
   */
  public static ObjectNode describe(String header) {
    Challenge challenge = Challenge.parse(header);
    ObjectNode out = JSON.createObjectNode();
    out.put("id", challenge.id());
    out.put("realm", challenge.realm());
    out.put("method", challenge.method());
    out.put("intent", challenge.intent());
    challenge.expiresRaw().ifPresent(expires -> out.put("expires", expires));
    challenge.description().ifPresent(description -> out.put("description", description));
    out.set("request", challenge.request().json());
    return out;
  }
}
