package dev.mpp.testkit.stack;

import static dev.mpp.testkit.stack.LocalStackTest.challenges;
import static dev.mpp.testkit.stack.LocalStackTest.decodeBase64UrlJson;
import static dev.mpp.testkit.stack.LocalStackTest.decodeRequest;
import static dev.mpp.testkit.stack.LocalStackTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pays {@code /tempo/charge} in push mode with nothing but the JDK: a TIP-20 {@code
 * transferWithMemo} carrying the MPP attribution memo, sent by anvil for an unlocked dev account,
 * then a {@code hash} credential. Pins the settlement rules the Tempo rail must follow (see
 * examples/mpp-server/README.md).
 */
@ExtendWith(LocalStackExtension.class)
class TempoPushPaymentTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TRANSFER_WITH_MEMO = "95777d59";
  private static final DevAccount PAYER = DevAccount.get(2);

  private final LocalStack stack;

  TempoPushPaymentTest(LocalStack stack) {
    this.stack = stack;
  }

  @Test
  void challengeBoundTransferSettlesOnceAndReturnsTheTxHashAsReceipt() throws Exception {
    LocalChain chain = stack.chain();
    URI url = stack.url(ServerRoute.TEMPO_CHARGE);
    Map<String, String> challenge = challenges(get(url, Map.of())).get(0);
    JsonNode request = decodeRequest(challenge);
    BigInteger amount = new BigInteger(request.path("amount").asText());
    String recipient = request.path("recipient").asText();
    BigInteger before = chain.balanceOf(LocalChain.PATH_USD, recipient);

    String hash = transfer(recipient, amount, memo(challenge.get("realm"), challenge.get("id")));
    HttpResponse<String> paid = get(url, Map.of("Authorization", hashCredential(challenge, hash)));

    assertThat(paid.statusCode()).as(paid.body()).isEqualTo(200);
    JsonNode receipt = decodeBase64UrlJson(paid.headers().firstValue("Payment-Receipt").get());
    assertThat(receipt.path("method").asText()).isEqualTo("tempo");
    assertThat(receipt.path("status").asText()).isEqualTo("success");
    assertThat(receipt.path("reference").asText()).isEqualTo(hash);
    assertThat(chain.balanceOf(LocalChain.PATH_USD, recipient).subtract(before)).isEqualTo(amount);

    HttpResponse<String> replay =
        get(url, Map.of("Authorization", hashCredential(challenge, hash)));
    assertThat(replay.statusCode()).isEqualTo(402);
    assertThat(JSON.readTree(replay.body()).path("detail").asText()).contains("already been used");
  }

  @Test
  void transferBoundToAnotherChallengeIsRejected() throws Exception {
    URI url = stack.url(ServerRoute.TEMPO_CHARGE);
    Map<String, String> challenge = challenges(get(url, Map.of())).get(0);
    JsonNode request = decodeRequest(challenge);
    String otherChallengeId = challenges(get(url, Map.of())).get(0).get("id");

    String hash =
        transfer(
            request.path("recipient").asText(),
            new BigInteger(request.path("amount").asText()),
            memo(challenge.get("realm"), otherChallengeId));
    HttpResponse<String> rejected =
        get(url, Map.of("Authorization", hashCredential(challenge, hash)));

    assertThat(rejected.statusCode()).isEqualTo(402);
    assertThat(rejected.headers().firstValue("Payment-Receipt")).isEmpty();
    assertThat(JSON.readTree(rejected.body()).path("detail").asText())
        .contains("memo is not bound to this challenge");
  }

  private String transfer(String recipient, BigInteger amount, byte[] memo) {
    String data =
        "0x"
            + TRANSFER_WITH_MEMO
            + Hex.addressWord(recipient)
            + String.format("%064x", amount)
            + HexFormat.of().formatHex(memo);
    String hash = stack.chain().sendTransaction(PAYER, LocalChain.PATH_USD, data);
    TransactionReceipt receipt = stack.chain().waitForReceipt(hash, Duration.ofSeconds(30));
    assertThat(receipt.success()).isTrue();
    return hash;
  }

  /**
   * mppx's attribution memo: keccak256("mpp")[0..4] | 0x01 | keccak256(realm)[0..10] | ten zero
   * bytes (anonymous client) | keccak256(challengeId)[0..7].
   */
  private byte[] memo(String realm, String challengeId) {
    byte[] memo = new byte[32];
    System.arraycopy(keccak("mpp"), 0, memo, 0, 4);
    memo[4] = 0x01;
    System.arraycopy(keccak(realm), 0, memo, 5, 10);
    System.arraycopy(keccak(challengeId), 0, memo, 25, 7);
    return memo;
  }

  /** Keccak-256 (not SHA3-256, which the JDK has) computed by the node itself. */
  private byte[] keccak(String text) {
    String input = "0x" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    String digest = stack.chain().rpc("web3_sha3", input).asText();
    return HexFormat.of().parseHex(digest.substring(2));
  }

  private static String hashCredential(Map<String, String> challenge, String hash) {
    ObjectNode wire = JSON.createObjectNode();
    ObjectNode echoed = wire.putObject("challenge");
    challenge.forEach(echoed::put);
    wire.putObject("payload").put("type", "hash").put("hash", hash);
    wire.put("source", "did:pkh:eip155:" + LocalChain.CHAIN_ID + ":" + PAYER.address());
    return "Payment "
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(wire.toString().getBytes(StandardCharsets.UTF_8));
  }
}
