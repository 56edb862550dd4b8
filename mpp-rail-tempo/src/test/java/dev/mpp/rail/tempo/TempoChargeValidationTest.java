package dev.mpp.rail.tempo;

import static dev.mpp.rail.tempo.Fixtures.AFFILIATE;
import static dev.mpp.rail.tempo.Fixtures.PLATFORM;
import static dev.mpp.rail.tempo.Fixtures.RECIPIENT;
import static dev.mpp.rail.tempo.Fixtures.details;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.testing.FakeRpcServer;
import dev.mpp.wallet.rail.Quote;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad request gives a typed error, and nothing is signed or sent to the chain. */
class TempoChargeValidationTest {

  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.example.com/r"), "GET", "agent-1");
  private static FakeRpcServer rpc;

  @BeforeAll
  static void start() throws IOException {
    rpc = new FakeRpcServer(request -> FakeRpcServer.Reply.error(request, -32000, "unexpected"));
  }

  @AfterAll
  static void stop() {
    rpc.close();
  }

  private record Case(
      String name,
      Consumer<ObjectNode> mutation,
      UnaryOperator<TempoConfig.Builder> configuration,
      Class<? extends MppException> type,
      ErrorCode code,
      String messagePart) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case refused(String name, Consumer<ObjectNode> mutation, String part) {
    return new Case(
        name,
        mutation,
        UnaryOperator.identity(),
        PaymentRefusedException.class,
        ErrorCode.UNSUPPORTED_REQUEST,
        part);
  }

  private static Case malformed(String name, Consumer<ObjectNode> mutation, String part) {
    return new Case(
        name,
        mutation,
        UnaryOperator.identity(),
        ProtocolException.class,
        ErrorCode.MALFORMED_REQUEST,
        part);
  }

  private static ObjectNode split(ObjectNode request, String amount, String recipient) {
    ArrayNode splits =
        details(request).has("splits")
            ? (ArrayNode) details(request).get("splits")
            : details(request).putArray("splits");
    return splits.addObject().put("amount", amount).put("recipient", recipient);
  }

  static Stream<Case> cases() {
    return Stream.of(
        refused(
            "missing chain id is never defaulted",
            r -> details(r).remove("chainId"),
            "chainId is missing"),
        refused("other chain", r -> details(r).put("chainId", 4217), "chain 4217"),
        malformed("chain id as string", r -> details(r).put("chainId", "42431"), "chainId"),
        malformed("fractional chain id", r -> details(r).put("chainId", 42431.5), "chainId"),
        refused(
            "currency not configured",
            r -> r.put("currency", "0x20C0000000000000000000000000000000000002"),
            "not a configured asset"),
        malformed("currency not an address", r -> r.put("currency", "pathUSD"), "currency"),
        malformed("missing recipient", r -> r.remove("recipient"), "recipient"),
        malformed(
            "recipient with a broken checksum",
            r -> r.put("recipient", "0x70997970c51812DC3A010C7D01B50E0D17DC79c8"),
            "recipient"),
        malformed(
            "recipient of 19 bytes",
            r -> r.put("recipient", "0x70997970c51812dc3a010c7d01b50e0d17dc79"),
            "recipient"),
        refused(
            "recipient denied by policy",
            r -> r.put("recipient", AFFILIATE),
            "recipient " + AFFILIATE),
        refused(
            "split recipient denied by policy",
            r -> split(r, "1000", AFFILIATE),
            "split recipient"),
        malformed(
            "split recipient not an address",
            r -> split(r, "1000", "0x1234"),
            "splits[0].recipient"),
        malformed("splits empty", r -> details(r).putArray("splits"), "must not be empty"),
        malformed("splits not an array", r -> details(r).put("splits", "x"), "array"),
        malformed("split not an object", r -> details(r).putArray("splits").add(1), "object"),
        refused("split amount zero", r -> split(r, "0", PLATFORM), "greater than zero"),
        new Case(
            "split amount negative",
            r -> split(r, "-5", PLATFORM),
            UnaryOperator.identity(),
            ProtocolException.class,
            ErrorCode.INVALID_AMOUNT,
            "amount"),
        new Case(
            "split amount as number",
            r ->
                ((ArrayNode) details(r).putArray("splits"))
                    .addObject()
                    .put("amount", 5)
                    .put("recipient", PLATFORM),
            UnaryOperator.identity(),
            ProtocolException.class,
            ErrorCode.INVALID_AMOUNT,
            "amount"),
        refused(
            "splits equal to the amount",
            r -> {
              split(r, "600000", PLATFORM);
              split(r, "400000", RECIPIENT);
            },
            "not less than the amount"),
        refused("splits above the amount", r -> split(r, "1000001", PLATFORM), "not less"),
        refused(
            "eleven splits",
            r -> {
              for (int i = 0; i < 11; i++) {
                split(r, "1", PLATFORM);
              }
            },
            "at most 10"),
        malformed("memo too short", r -> details(r).put("memo", "0x" + "ab".repeat(31)), "memo"),
        malformed("memo not hex", r -> details(r).put("memo", "0x" + "zz".repeat(32)), "memo"),
        malformed("memo without 0x", r -> details(r).put("memo", "ab".repeat(32)), "memo"),
        malformed(
            "split memo too long",
            r -> split(r, "5", PLATFORM).put("memo", "0x" + "ab".repeat(33)),
            "splits[0].memo"),
        malformed("fee payer not boolean", r -> details(r).put("feePayer", "yes"), "feePayer"),
        refused(
            "only push offered to a pull-only rail",
            r -> details(r).putArray("supportedModes").add("push"),
            "no settlement mode"),
        refused(
            "only unknown modes offered",
            r -> details(r).putArray("supportedModes").add("teleport"),
            "no settlement mode"),
        new Case(
            "sponsored push is not allowed",
            r -> {
              details(r).put("feePayer", true);
              details(r).putArray("supportedModes").add("push");
            },
            b -> b.modes(TempoMode.PUSH),
            PaymentRefusedException.class,
            ErrorCode.UNSUPPORTED_REQUEST,
            "push excluded"),
        malformed("modes not an array", r -> details(r).put("supportedModes", "pull"), "array"),
        new Case(
            "amount missing",
            r -> r.remove("amount"),
            UnaryOperator.identity(),
            ProtocolException.class,
            ErrorCode.MALFORMED_REQUEST,
            "amount"),
        new Case(
            "amount above uint256",
            r -> r.put("amount", java.math.BigInteger.TWO.pow(256).toString()),
            UnaryOperator.identity(),
            ProtocolException.class,
            ErrorCode.INVALID_AMOUNT,
            "amount"));
  }

  private static TempoChargeRail rail(
      UnaryOperator<TempoConfig.Builder> configuration, CountingSigner signer) {
    TempoConfig config =
        configuration
            .apply(
                Fixtures.config()
                    .recipientPolicy(
                        Set.of(EvmAddress.parse(RECIPIENT), EvmAddress.parse(PLATFORM))::contains))
            .build();
    return TempoChargeRail.builder(config, signer)
        .rpc(JsonRpcClient.create(rpc.uri()))
        .clock(Clock.fixed(Fixtures.NOW, ZoneOffset.UTC))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesBeforeSigning(Case c) {
    ObjectNode request = Fixtures.request();
    c.mutation().accept(request);
    Challenge challenge;
    try {
      challenge = Fixtures.challenge(request);
    } catch (ProtocolException e) {
      // The shared wire layer already refuses some inputs (amount syntax); same outcome.
      assertThat(e.code()).isEqualTo(c.code());
      return;
    }
    CountingSigner signer = new CountingSigner();
    TempoChargeRail rail = rail(c.configuration(), signer);
    int rpcCallsBefore = rpc.requests().size();

    assertThatThrownBy(() -> rail.pay(challenge, CONTEXT))
        .isInstanceOf(c.type())
        .satisfies(e -> assertThat(((MppException) e).code()).isEqualTo(c.code()))
        .hasMessageContaining(c.messagePart());
    assertThat(rail.quote(challenge))
        .isInstanceOfSatisfying(
            Quote.Unsupported.class, q -> assertThat(q.reason()).contains(c.messagePart()));

    assertThat(signer.count()).isZero();
    assertThat(rpc.requests()).hasSize(rpcCallsBefore);
  }

  @Test
  void theUnmutatedFixtureIsPayable() {
    CountingSigner signer = new CountingSigner();
    TempoChargeRail rail = rail(UnaryOperator.identity(), signer);

    assertThat(rail.quote(Fixtures.challenge(Fixtures.request())))
        .isInstanceOf(Quote.Payable.class);
    rail.pay(Fixtures.challenge(Fixtures.request()), CONTEXT);
    assertThat(signer.count()).isEqualTo(1);
  }

  @Test
  void recipientsAreComparedByValueNotCase() {
    ObjectNode request = Fixtures.request();
    request.put("recipient", RECIPIENT.toLowerCase());
    split(request, "10", PLATFORM.toUpperCase().replace("0X", "0x"));

    TempoChargeRequest parsed =
        TempoChargeRequest.parse(
            Fixtures.challenge(request).request(),
            Fixtures.config()
                .recipientPolicy(
                    Set.of(EvmAddress.parse(RECIPIENT), EvmAddress.parse(PLATFORM))::contains)
                .build());

    assertThat(parsed.recipient()).isEqualTo(EvmAddress.parse(RECIPIENT));
  }

  @Test
  void refusesExpiredChallengesAndOtherMethods() {
    CountingSigner signer = new CountingSigner();
    TempoChargeRail rail = rail(UnaryOperator.identity(), signer);
    Challenge expired = Fixtures.challenge(Fixtures.request(), Fixtures.NOW.minusSeconds(1));
    Challenge other = Fixtures.challenge(Fixtures.request()).toBuilder().method("evm").build();

    assertThatThrownBy(() -> rail.pay(expired, CONTEXT))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.CHALLENGE_EXPIRED));
    assertThatThrownBy(() -> rail.pay(other, CONTEXT))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_REQUEST));
    assertThat(rail.quote(expired)).isInstanceOf(Quote.Unsupported.class);
    assertThat(signer.count()).isZero();
  }
}
