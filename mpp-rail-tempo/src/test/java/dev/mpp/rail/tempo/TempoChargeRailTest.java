package dev.mpp.rail.tempo;

import static dev.mpp.rail.tempo.Fixtures.AFFILIATE;
import static dev.mpp.rail.tempo.Fixtures.ALPHA_USD;
import static dev.mpp.rail.tempo.Fixtures.NOW;
import static dev.mpp.rail.tempo.Fixtures.PATH_USD;
import static dev.mpp.rail.tempo.Fixtures.PLATFORM;
import static dev.mpp.rail.tempo.Fixtures.RECIPIENT;
import static dev.mpp.rail.tempo.Fixtures.details;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import dev.mpp.evm.testing.FakeRpcServer;
import dev.mpp.evm.testing.FakeRpcServer.Reply;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.RailPayment;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

class TempoChargeRailTest {

  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.example.com/r"), "GET", "agent-1");
  private static final HexFormat HEX = HexFormat.of();
  private static final long GWEI = 1_000_000_000L;

  private FakeRpcServer server;
  private final Map<String, Function<JsonNode, Reply>> handlers = new ConcurrentHashMap<>();
  private final CountingSigner signer = new CountingSigner();

  @BeforeEach
  void start() throws IOException {
    handlers.put("eth_chainId", r -> Reply.result(r, "\"0xa5bf\""));
    handlers.put("eth_estimateGas", r -> Reply.result(r, "\"0xc350\"")); // 50,000
    handlers.put("eth_gasPrice", r -> Reply.result(r, "\"0x4a817c800\"")); // 20 gwei
    handlers.put("eth_maxPriorityFeePerGas", r -> Reply.result(r, "\"0x0\""));
    server =
        new FakeRpcServer(
            request ->
                handlers
                    .getOrDefault(
                        request.get("method").asText(),
                        r -> Reply.error(r, -32601, "method not found"))
                    .apply(request));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private TempoChargeRail rail(TempoConfig config) {
    return rail(config, signer);
  }

  private TempoChargeRail rail(TempoConfig config, Signer signer) {
    return TempoChargeRail.builder(config, signer)
        .rpc(
            JsonRpcClient.builder(server.uri())
                .receiptPolling(Duration.ofMillis(5), Duration.ofMillis(20))
                .build())
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  private static TempoConfig.Builder estimating() {
    return TempoConfig.builder(Fixtures.CHAIN).asset(PATH_USD);
  }

  private static TempoTransaction transaction(RailPayment payment) {
    ObjectNode payload = payment.payload();
    assertThat(payload.get("type").asText()).isEqualTo("transaction");
    String hex = payload.get("signature").asText();
    assertThat(hex).startsWith("0x76");
    return TempoTransaction.decode(HEX.parseHex(hex.substring(2)));
  }

  private static Tip20.Transfer transfer(TempoCall call) {
    assertThat(call.to()).isEqualTo(PATH_USD);
    assertThat(call.value()).isZero();
    return Tip20.decodeTransfer(call.input()).orElseThrow();
  }

  private List<JsonNode> requests(String method) {
    return server.requests().stream().filter(r -> r.get("method").asText().equals(method)).toList();
  }

  @Test
  void sponsoredPullSignsAnExpiringTransferWithTheAttributionMemo() {
    ObjectNode request = Fixtures.request();
    details(request).put("feePayer", true);
    Challenge challenge = Fixtures.challenge(request);

    RailPayment payment = rail(estimating().build()).pay(challenge, CONTEXT);

    TempoTransaction tx = transaction(payment);
    assertThat(tx.chainId()).isEqualTo(42431);
    assertThat(tx.sponsored()).isTrue();
    assertThat(tx.feeToken()).isEmpty();
    assertThat(tx.nonceKey()).isEqualTo(TempoTransaction.EXPIRING_NONCE_KEY);
    assertThat(tx.nonce()).isZero();
    assertThat(tx.validBefore()).hasValue(NOW.getEpochSecond() + 25);
    assertThat(tx.gas()).isEqualTo(55_000); // estimate + 5,000
    assertThat(tx.maxFeePerGas()).isEqualTo(BigInteger.valueOf(40 * GWEI));
    assertThat(tx.recoverSender()).isEqualTo(EvmAddress.parse(signer.address()));
    assertThat(tx.calls()).hasSize(1);
    Tip20.Transfer transfer = transfer(tx.calls().get(0));
    assertThat(transfer.recipient()).isEqualTo(EvmAddress.parse(RECIPIENT));
    assertThat(transfer.amount()).isEqualTo(BigInteger.valueOf(1_000_000));
    assertThat(transfer.memo())
        .contains(AttributionMemo.encode("api.example.com", null, "kM9xPqWvT2nJrHsY4aDfEb"));
    assertThat(payment.sourceDid())
        .contains("did:pkh:eip155:42431:" + EvmAddress.parse(signer.address()).toChecksumHex());
    assertThat(payment.preSettlementReference()).isEmpty();
    assertThat(payment.settled()).isFalse();
    JsonNode estimate = requests("eth_estimateGas").get(0).get("params").get(0);
    assertThat(estimate.get("type").asText()).isEqualTo("0x76");
    assertThat(estimate.has("feeToken")).isFalse();
    assertThat(estimate.get("calls").get(0).get("data").asText())
        .isEqualTo("0x" + HEX.formatHex(tx.calls().get(0).input()));
  }

  @Test
  void unsponsoredPullNamesTheFeeTokenAndKnowsItsHash() {
    TempoConfig config = estimating().feeToken(ALPHA_USD).clientId("my-app").build();

    RailPayment payment = rail(config).pay(Fixtures.challenge(Fixtures.request()), CONTEXT);

    TempoTransaction tx = transaction(payment);
    assertThat(tx.sponsored()).isFalse();
    assertThat(tx.feeToken()).contains(ALPHA_USD);
    assertThat(transfer(tx.calls().get(0)).memo())
        .contains(AttributionMemo.encode("api.example.com", "my-app", "kM9xPqWvT2nJrHsY4aDfEb"));
    assertThat(payment.preSettlementReference()).contains("0x" + HEX.formatHex(tx.txHash()));
    assertThat(payment.settled()).isFalse();
    assertThat(requests("eth_estimateGas").get(0).get("params").get(0).get("feeToken").asText())
        .isEqualTo(ALPHA_USD.toLowerHex());
  }

  @Test
  void splitsPayTheRemainderFirstThenEachSplitWithItsOwnMemo() {
    ObjectNode request = Fixtures.request();
    String serverMemo = "0x" + "11".repeat(32);
    String splitMemo = "0x00000000000000000000000000000000000000000000000000000000deadbeef";
    details(request).put("memo", serverMemo);
    details(request)
        .putArray("splits")
        .addObject()
        .put("amount", "50000")
        .put("recipient", PLATFORM);
    ((com.fasterxml.jackson.databind.node.ArrayNode) details(request).get("splits"))
        .addObject()
        .put("amount", "10000")
        .put("recipient", AFFILIATE)
        .put("memo", splitMemo);

    TempoTransaction tx =
        transaction(rail(estimating().build()).pay(Fixtures.challenge(request), CONTEXT));

    assertThat(tx.calls()).hasSize(3);
    assertThat(transfer(tx.calls().get(0)))
        .isEqualTo(
            new Tip20.Transfer(
                EvmAddress.parse(RECIPIENT),
                BigInteger.valueOf(940_000),
                Optional.of(Memo.parse(serverMemo))));
    assertThat(transfer(tx.calls().get(1)))
        .isEqualTo(
            new Tip20.Transfer(
                EvmAddress.parse(PLATFORM), BigInteger.valueOf(50_000), Optional.empty()));
    assertThat(transfer(tx.calls().get(2)))
        .isEqualTo(
            new Tip20.Transfer(
                EvmAddress.parse(AFFILIATE),
                BigInteger.valueOf(10_000),
                Optional.of(Memo.parse(splitMemo))));
  }

  @Test
  void validityIsCappedByTheChallengeExpiry() {
    Challenge challenge = Fixtures.challenge(Fixtures.request(), NOW.plusSeconds(7));

    TempoTransaction tx = transaction(rail(estimating().build()).pay(challenge, CONTEXT));

    assertThat(tx.validBefore()).hasValue(NOW.getEpochSecond() + 7);
  }

  @Test
  void gasFloorAndFeeCapsBoundTheTransaction() {
    handlers.put("eth_gasPrice", r -> Reply.result(r, "\"0x" + Long.toHexString(80 * GWEI) + "\""));
    handlers.put("eth_maxPriorityFeePerGas", r -> Reply.error(r, -32601, "not supported"));
    TempoConfig config = estimating().gasFloor(250_000).build();

    TempoTransaction tx =
        transaction(rail(config).pay(Fixtures.challenge(Fixtures.request()), CONTEXT));

    assertThat(tx.gas()).isEqualTo(250_000);
    // 2 × 80 gwei would exceed the 100 gwei cap.
    assertThat(tx.maxFeePerGas()).isEqualTo(BigInteger.valueOf(100 * GWEI));
    assertThat(tx.maxPriorityFeePerGas()).isZero();
  }

  @Test
  void totalFeeBudgetLowersTheFeeCapOrRefuses() {
    // 1,000,000 gas × 50 gwei = 5e16 = the budget; the cap comes down from 100 gwei.
    handlers.put("eth_gasPrice", r -> Reply.result(r, "\"0x" + Long.toHexString(45 * GWEI) + "\""));
    TempoConfig config =
        estimating()
            .gasFloor(1_000_000)
            .maxTotalFee(BigInteger.valueOf(50_000_000_000_000_000L))
            .build();

    TempoTransaction tx =
        transaction(rail(config).pay(Fixtures.challenge(Fixtures.request()), CONTEXT));
    assertThat(tx.maxFeePerGas()).isEqualTo(BigInteger.valueOf(50 * GWEI));

    handlers.put("eth_gasPrice", r -> Reply.result(r, "\"0x" + Long.toHexString(51 * GWEI) + "\""));
    int signed = signer.count();
    assertThatThrownBy(() -> rail(config).pay(Fixtures.challenge(Fixtures.request()), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED))
        .hasMessageContaining("fee limits");
    assertThat(signer.count()).isEqualTo(signed);
  }

  @Test
  void refusesToSignAboveTheGasLimit() {
    handlers.put("eth_estimateGas", r -> Reply.result(r, "\"0x1e8481\"")); // 2,000,001

    assertThatThrownBy(
            () -> rail(estimating().build()).pay(Fixtures.challenge(Fixtures.request()), CONTEXT))
        .isInstanceOf(PaymentFailedException.class)
        .hasMessageContaining("exceeds the configured maximum");
    assertThat(signer.count()).isZero();
  }

  @Test
  void refusesAnEndpointOfAnotherChain() {
    handlers.put("eth_chainId", r -> Reply.result(r, "\"0x1079\""));

    assertThatThrownBy(
            () -> rail(estimating().build()).pay(Fixtures.challenge(Fixtures.request()), CONTEXT))
        .isInstanceOf(PaymentFailedException.class)
        .hasMessageContaining("chain 4217");
    assertThat(signer.count()).isZero();
  }

  @Test
  void quoteIsZeroWhenSponsoredAndTheFeeCapOtherwise() {
    TempoChargeRail rail = rail(estimating().feeToken(ALPHA_USD).build());
    ObjectNode sponsored = Fixtures.request();
    details(sponsored).put("feePayer", true);

    Quote.Payable free = (Quote.Payable) rail.quote(Fixtures.challenge(sponsored));
    Quote.Payable paid = (Quote.Payable) rail.quote(Fixtures.challenge(Fixtures.request()));

    assertThat(free.amount().units()).isEqualTo(BigInteger.valueOf(1_000_000));
    assertThat(free.amount().asset().currency()).isEqualTo(PATH_USD.toLowerHex());
    assertThat(free.fee().units()).isZero();
    // 55,000 gas × 40 gwei = 2.2e15 attodollars = 2,200 micro-dollars.
    assertThat(paid.fee()).isEqualTo(new Money(BigInteger.valueOf(2_200), paid.fee().asset()));
    assertThat(paid.fee().asset().currency()).isEqualTo(ALPHA_USD.toLowerHex());
    assertThat(paid.fee().asset().decimals()).isEqualTo(6);
    assertThat(signer.count()).isZero();
  }

  @Test
  void zeroAmountsProveAccountControl() {
    ObjectNode request = Fixtures.request();
    request.put("amount", "0");
    Challenge challenge = Fixtures.challenge(request);
    TempoChargeRail rail = rail(estimating().build());

    RailPayment payment = rail.pay(challenge, CONTEXT);

    assertThat(payment.payload().get("type").asText()).isEqualTo("proof");
    Signature signature = Signature.fromHex(payment.payload().get("signature").asText());
    EvmAddress account = EvmAddress.parse(signer.address());
    assertThat(
            signature.recoverSigner(
                TempoProof.digest(42431, account, challenge.id(), challenge.realm())))
        .isEqualTo(account);
    assertThat(payment.sourceDid()).contains("did:pkh:eip155:42431:" + account.toChecksumHex());
    assertThat(((Quote.Payable) rail.quote(challenge)).fee().units()).isZero();
    assertThat(server.requests()).isEmpty();
  }

  private TempoConfig pushConfig() {
    return estimating().modes(TempoMode.PUSH).receiptTimeout(Duration.ofMillis(300)).build();
  }

  private static String receipt(String hash, String status) {
    return "{\"transactionHash\":\""
        + hash
        + "\",\"status\":\""
        + status
        + "\",\"blockNumber\":\"0x10\",\"gasUsed\":\"0xc350\"}";
  }

  private static String hashOf(JsonNode sendRequest) {
    String raw = sendRequest.get("params").get(0).asText();
    return "0x" + HEX.formatHex(Hash.sha3(HEX.parseHex(raw.substring(2))));
  }

  @Test
  void pushBroadcastsWaitsForSuccessAndReturnsTheHash() {
    Map<String, Integer> polls = new ConcurrentHashMap<>();
    handlers.put("eth_sendRawTransaction", r -> Reply.result(r, "\"" + hashOf(r) + "\""));
    handlers.put(
        "eth_getTransactionReceipt",
        r -> {
          String hash = r.get("params").get(0).asText();
          return polls.merge(hash, 1, Integer::sum) < 3
              ? Reply.result(r, "null")
              : Reply.result(r, receipt(hash, "0x1"));
        });

    RailPayment payment = rail(pushConfig()).pay(Fixtures.challenge(Fixtures.request()), CONTEXT);

    JsonNode sent = requests("eth_sendRawTransaction").get(0);
    String hash = hashOf(sent);
    assertThat(payment.payload().get("type").asText()).isEqualTo("hash");
    assertThat(payment.payload().get("hash").asText()).isEqualTo(hash);
    assertThat(payment.preSettlementReference()).contains(hash);
    assertThat(payment.settled()).isTrue();
    TempoTransaction tx =
        TempoTransaction.decode(HEX.parseHex(sent.get("params").get(0).asText().substring(2)));
    assertThat(tx.sponsored()).isFalse();
    assertThat(tx.feeToken()).contains(PATH_USD);
    assertThat(polls.get(hash)).isEqualTo(3);
  }

  @Test
  void pushRefusedByTheNodeFailsWithoutUncertainty() {
    handlers.put("eth_sendRawTransaction", r -> Reply.error(r, -32000, "insufficient funds"));

    assertThatThrownBy(
            () -> rail(pushConfig()).pay(Fixtures.challenge(Fixtures.request()), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED))
        .hasMessageContaining("insufficient funds");
    assertThat(requests("eth_getTransactionReceipt")).isEmpty();
  }

  @Test
  void pushWithALostBroadcastResponseStillFindsTheReceipt() {
    handlers.put("eth_sendRawTransaction", r -> new Reply(502, "bad gateway", 0));
    handlers.put(
        "eth_getTransactionReceipt",
        r -> Reply.result(r, receipt(r.get("params").get(0).asText(), "0x1")));

    RailPayment payment = rail(pushConfig()).pay(Fixtures.challenge(Fixtures.request()), CONTEXT);

    assertThat(payment.payload().get("hash").asText())
        .isEqualTo(hashOf(requests("eth_sendRawTransaction").get(0)));
  }

  @Test
  void pushWithoutAReceiptIsOutcomeUnknownNeverNotPaid() {
    handlers.put("eth_sendRawTransaction", r -> Reply.result(r, "\"" + hashOf(r) + "\""));
    handlers.put("eth_getTransactionReceipt", r -> Reply.result(r, "null"));

    assertThatThrownBy(
            () -> rail(pushConfig()).pay(Fixtures.challenge(Fixtures.request()), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentOutcomeUnknownException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN))
        .hasMessageContaining(hashOf(requests("eth_sendRawTransaction").get(0)));
  }

  @Test
  void pushThatRevertsFails() {
    handlers.put("eth_sendRawTransaction", r -> Reply.result(r, "\"" + hashOf(r) + "\""));
    handlers.put(
        "eth_getTransactionReceipt",
        r -> Reply.result(r, receipt(r.get("params").get(0).asText(), "0x0")));

    assertThatThrownBy(
            () -> rail(pushConfig()).pay(Fixtures.challenge(Fixtures.request()), CONTEXT))
        .isInstanceOf(PaymentFailedException.class)
        .hasMessageContaining("reverted");
  }

  @Test
  void pluginSignersReturningForeignSignaturesAreCaught() {
    PrivateKeySigner other =
        PrivateKeySigner.of(
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a".toCharArray());
    Signer lying =
        new Signer() {
          @Override
          public String address() {
            return signer.address();
          }

          @Override
          public Signature sign(byte[] hash32) {
            return other.sign(hash32);
          }
        };

    assertThatThrownBy(
            () ->
                rail(estimating().build(), lying)
                    .pay(Fixtures.challenge(Fixtures.request()), CONTEXT))
        .isInstanceOf(PaymentFailedException.class)
        .hasMessageContaining("not made by");
  }

  @Test
  void needsAnRpcEndpointUnlessGasAndFeesAreFixed() {
    assertThatThrownBy(() -> TempoChargeRail.builder(estimating().build(), signer).build())
        .isInstanceOf(dev.mpp.client.ConfigurationException.class);

    TempoChargeRail offline =
        TempoChargeRail.builder(Fixtures.config().build(), signer)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();
    RailPayment payment = offline.pay(Fixtures.challenge(Fixtures.request()), CONTEXT);

    assertThat(transaction(payment).gas()).isEqualTo(300_000);
    assertThat(offline.toString()).contains(signer.address()).doesNotContain("59c6995e");
  }
}
