package dev.mpp.rail.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import dev.mpp.evm.signer.SignerException;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes1;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.StructuredDataEncoder;

/** The EVM EIP-3009 rail: checks, the signed payload, and known answers from viem. */
class EvmRailTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  // anvil's well-known dev account 0; never holds real funds.
  private static final String DEV_KEY =
      "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  private static final String DEV_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
  private static final String RECIPIENT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
  private static final String USDC_BASE = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
  private static final long BASE = 8453;
  private static final String ID = "aB3cDeF4gHiJkLmN";
  private static final String REALM = "api.example.com";
  private static final String EXPIRES = "2026-04-01T12:05:00Z";
  private static final Instant NOW = Instant.parse("2026-04-01T12:00:00Z");
  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.example.com/paid"), "GET", "bot-1");

  // Computed independently with viem 2.57.13 (keccak256, hashTypedData, signTypedData); see
  // the comment in knownAnswersMatchViem for the exact inputs.
  private static final String VIEM_CHALLENGE_HASH =
      "0x899e3a8fe6830644e150b972d4ba1fce69bcdf0bf9ea7f13d57cada71c6f281d";
  private static final String VIEM_DIGEST =
      "0x7bc07ee418ddc3ae31c751acbbba776f1e5a89e888662fb30059186cf1e07d50";
  private static final String VIEM_SIGNATURE =
      "0x429485dcbaaab13d92f197654ca977822866b916d858e490f4c441ea545b4092"
          + "5afa02c26208c96a86af3dfc1c07261513cb2d405854ef2092656f8a6f616f4a1c";

  /** A signer that counts signatures, so tests can prove none was made. */
  private static final class CountingSigner implements Signer {
    final Signer delegate = PrivateKeySigner.of(DEV_KEY.toCharArray());
    final AtomicInteger signatures = new AtomicInteger();

    @Override
    public String address() {
      return delegate.address();
    }

    @Override
    public Signature sign(byte[] hash32) {
      signatures.incrementAndGet();
      return delegate.sign(hash32);
    }
  }

  private static ObjectNode request() {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", "1000000");
    request.put("currency", USDC_BASE);
    request.put("recipient", RECIPIENT);
    ObjectNode details = request.putObject("methodDetails");
    details.put("chainId", BASE);
    details.putArray("credentialTypes").add("permit2").add("authorization");
    details.put("decimals", 6);
    return request;
  }

  private static Challenge challenge(ObjectNode request) {
    return challenge(request, "evm", "charge", EXPIRES);
  }

  private static Challenge challenge(
      ObjectNode request, String method, String intent, String expires) {
    return Challenge.builder()
        .id(ID)
        .realm(REALM)
        .method(method)
        .intent(intent)
        .request(PaymentRequest.of(request).raw())
        .expires(expires)
        .build();
  }

  private static EvmRail.Builder rail(Signer signer) {
    return EvmRail.builder()
        .signer(signer)
        .chain(BASE)
        .tokens(EvmToken.usdcOnBase())
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void challengeHashMatchesTheKnownAnswer() {
    byte[] hash = TransferAuthorization.challengeHash(ID, REALM);

    assertThat("0x" + HexFormat.of().formatHex(hash)).isEqualTo(VIEM_CHALLENGE_HASH);
    assertThat(TransferAuthorization.challengeHash(challenge(request())))
        .isEqualTo(hash)
        .isNotEqualTo(TransferAuthorization.challengeHash(REALM, ID));
  }

  @Test
  void knownAnswersMatchViemAndWeb3jStructuredDataEncoder() throws Exception {
    // viem: keccak256(encodePacked(['string','string'], [ID, REALM])); hashTypedData and
    // privateKeyToAccount(DEV_KEY).signTypedData with domain {USD Coin, 2, 8453, USDC_BASE} and
    // message {from: DEV_ADDRESS, to: RECIPIENT, value: 1000000, validAfter: 0,
    // validBefore: 1775045100 (EXPIRES), nonce: the challenge hash}.
    TransferAuthorization authorization =
        new TransferAuthorization(
            EvmAddress.parse(DEV_ADDRESS),
            EvmAddress.parse(RECIPIENT),
            BigInteger.valueOf(1_000_000),
            BigInteger.ZERO,
            BigInteger.valueOf(1775045100L),
            TransferAuthorization.challengeHash(ID, REALM));
    byte[] digest =
        authorization.digest(new TokenDomain("USD Coin", "2"), BASE, EvmAddress.parse(USDC_BASE));

    String typedData =
        """
        {"types":{
          "EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
            {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
          "TransferWithAuthorization":[{"name":"from","type":"address"},
            {"name":"to","type":"address"},{"name":"value","type":"uint256"},
            {"name":"validAfter","type":"uint256"},{"name":"validBefore","type":"uint256"},
            {"name":"nonce","type":"bytes32"}]},
         "primaryType":"TransferWithAuthorization",
         "domain":{"name":"USD Coin","version":"2","chainId":8453,
           "verifyingContract":"%s"},
         "message":{"from":"%s","to":"%s","value":1000000,"validAfter":0,
           "validBefore":1775045100,"nonce":"%s"}}
        """
            .formatted(USDC_BASE, DEV_ADDRESS, RECIPIENT, VIEM_CHALLENGE_HASH);
    byte[] web3j = new StructuredDataEncoder(typedData).hashStructuredData();

    assertThat(digest).isEqualTo(web3j);
    assertThat("0x" + HexFormat.of().formatHex(digest)).isEqualTo(VIEM_DIGEST);
    assertThat(PrivateKeySigner.of(DEV_KEY.toCharArray()).sign(digest).toHex())
        .isEqualTo(VIEM_SIGNATURE);
  }

  @Test
  void paysWithAnAuthorizationBoundToTheChallenge() {
    CountingSigner signer = new CountingSigner();

    RailPayment payment = rail(signer).build().pay(challenge(request()), CONTEXT);

    ObjectNode expected = JSON.createObjectNode();
    expected.put("type", "authorization");
    expected.put("from", DEV_ADDRESS);
    expected.put("to", RECIPIENT);
    expected.put("value", "1000000");
    expected.put("validAfter", "0");
    expected.put("validBefore", "1775045100");
    expected.put("nonce", VIEM_CHALLENGE_HASH);
    expected.put("signature", VIEM_SIGNATURE);
    assertThat(payment.payload()).isEqualTo(expected);
    assertThat(payment.sourceDid()).contains("did:pkh:eip155:8453:" + DEV_ADDRESS);
    assertThat(payment.preSettlementReference()).isEmpty();
    assertThat(signer.signatures).hasValue(1);
  }

  @Test
  void lowerCaseAddressesInTheRequestArePaidToTheSameAccount() {
    ObjectNode request = request();
    request.put("currency", USDC_BASE.toLowerCase());
    request.put("recipient", RECIPIENT.toLowerCase());

    RailPayment payment = rail(new CountingSigner()).build().pay(challenge(request), CONTEXT);

    assertThat(payment.payload().get("to").asText()).isEqualTo(RECIPIENT);
    assertThat(payment.payload().get("signature").asText()).isEqualTo(VIEM_SIGNATURE);
  }

  @Test
  void withoutExpiresTheAuthorizationIsValidForFiveMinutes() {
    RailPayment payment =
        rail(new CountingSigner())
            .build()
            .pay(challenge(request(), "evm", "charge", null), CONTEXT);

    assertThat(payment.payload().get("validBefore").asText())
        .isEqualTo(Long.toString(NOW.getEpochSecond() + 300));
  }

  @Test
  void quotesTheAmountInTheConfiguredTokenWithoutAFee() {
    Quote quote = rail(new CountingSigner()).build().quote(challenge(request()));

    Asset usdc = new Asset("evm", USDC_BASE, BASE, 6);
    assertThat(quote)
        .isEqualTo(Quote.payable(new Money(BigInteger.valueOf(1_000_000), usdc), Money.zero(usdc)));
    assertThat(usdc.key()).isEqualTo("evm:8453:" + USDC_BASE.toLowerCase());
  }

  static Stream<Arguments> unpayable() {
    Function<Consumer<ObjectNode>, Consumer<ObjectNode>> details =
        edit -> r -> edit.accept((ObjectNode) r.get("methodDetails"));
    return Stream.of(
        Arguments.of("other method", (Consumer<ObjectNode>) r -> {}, "tempo", "charge", "method"),
        Arguments.of("other intent", (Consumer<ObjectNode>) r -> {}, "evm", "session", "intent"),
        Arguments.of(
            "wrong chain", details.apply(d -> d.put("chainId", 1)), "evm", "charge", "chain 1"),
        Arguments.of(
            "chainId missing", details.apply(d -> d.remove("chainId")), "evm", "charge", "chainId"),
        Arguments.of(
            "chainId as string",
            details.apply(d -> d.put("chainId", "8453")),
            "evm",
            "charge",
            "chainId"),
        Arguments.of(
            "splits present",
            details.apply(
                d ->
                    d.putArray("splits")
                        .addObject()
                        .put("recipient", RECIPIENT)
                        .put("amount", "1000")),
            "evm",
            "charge",
            "splits"),
        Arguments.of(
            "authorization not offered",
            details.apply(d -> d.putArray("credentialTypes").add("permit2").add("transaction")),
            "evm",
            "charge",
            "authorization"),
        Arguments.of(
            "credential types omitted",
            details.apply(d -> d.remove("credentialTypes")),
            "evm",
            "charge",
            "authorization"),
        Arguments.of(
            "unknown token",
            (Consumer<ObjectNode>)
                r -> r.put("currency", "0x036CbD53842c5426634e7929541eC2318f3dCF7e"),
            "evm",
            "charge",
            "not configured"),
        Arguments.of(
            "currency not an address",
            (Consumer<ObjectNode>) r -> r.put("currency", "usd"),
            "evm",
            "charge",
            "currency"),
        // The spec's own example recipient has a broken EIP-55 checksum: a mistyped address.
        Arguments.of(
            "recipient with a bad checksum",
            (Consumer<ObjectNode>)
                r -> r.put("recipient", "0x742d35Cc6634C0532925a3b844Bc9e7595f8fE00"),
            "evm",
            "charge",
            "recipient"),
        Arguments.of(
            "recipient missing",
            (Consumer<ObjectNode>) r -> r.remove("recipient"),
            "evm",
            "charge",
            "recipient"),
        Arguments.of(
            "decimals differ", details.apply(d -> d.put("decimals", 18)), "evm", "charge", "18"),
        Arguments.of(
            "zero amount",
            (Consumer<ObjectNode>) r -> r.put("amount", "0"),
            "evm",
            "charge",
            "zero"),
        Arguments.of(
            "amount beyond uint256",
            (Consumer<ObjectNode>) r -> r.put("amount", BigInteger.TWO.pow(256).toString()),
            "evm",
            "charge",
            "uint256"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unpayable")
  void uncheckedChallengesAreRefusedWithoutASignature(
      String name, Consumer<ObjectNode> edit, String method, String intent, String reason) {
    ObjectNode request = request();
    edit.accept(request);
    Challenge challenge = challenge(request, method, intent, EXPIRES);
    CountingSigner signer = new CountingSigner();
    EvmRail rail = rail(signer).build();

    Quote quote = rail.quote(challenge);

    assertThat(quote).isInstanceOf(Quote.Unsupported.class);
    assertThat(((Quote.Unsupported) quote).reason()).contains(reason);
    assertThatThrownBy(() -> rail.pay(challenge, CONTEXT))
        .isInstanceOfSatisfying(
            PaymentRefusedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_REQUEST))
        .hasMessageContaining(reason);
    assertThat(signer.signatures).hasValue(0);
  }

  @Test
  void signerFailureIsARailFailure() {
    Signer broken =
        new Signer() {
          @Override
          public String address() {
            return DEV_ADDRESS;
          }

          @Override
          public Signature sign(byte[] hash32) {
            throw new SignerException("KMS unreachable");
          }
        };

    assertThatThrownBy(() -> rail(broken).build().pay(challenge(request()), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED))
        .hasMessageContaining("KMS unreachable");
  }

  @Test
  void signatureByAnotherKeyIsARailFailure() {
    Signer other =
        PrivateKeySigner.of(
            ("59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").toCharArray());
    Signer lying =
        new Signer() {
          @Override
          public String address() {
            return DEV_ADDRESS;
          }

          @Override
          public Signature sign(byte[] hash32) {
            return other.sign(hash32);
          }
        };

    assertThatThrownBy(() -> rail(lying).build().pay(challenge(request()), CONTEXT))
        .isInstanceOfSatisfying(
            PaymentFailedException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED))
        .hasMessageContaining("does not recover");
  }

  /** A fake JSON-RPC node answering {@code eth_call} to {@code eip712Domain()}. */
  private static MockWebServer fakeNode(
      AtomicInteger calls, Function<JsonNode, String> resultOfCall) throws Exception {
    MockWebServer node = new MockWebServer();
    node.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest recorded) {
            try {
              JsonNode request = JSON.readTree(recorded.getBody().utf8());
              calls.incrementAndGet();
              String result = resultOfCall.apply(request);
              return new MockResponse.Builder()
                  .code(200)
                  .addHeader("Content-Type", "application/json")
                  .body("{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + "," + result + "}")
                  .build();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
    node.start(InetAddress.getByName("127.0.0.1"), 0);
    return node;
  }

  private static String eip712Domain(int fields, String name, long chainId, String contract) {
    String encoded =
        FunctionEncoder.encodeConstructor(
            List.of(
                new Bytes1(new byte[] {(byte) fields}),
                new Utf8String(name),
                new Utf8String("2"),
                new Uint256(chainId),
                new Address(contract),
                new Bytes32(new byte[32]),
                new DynamicArray<>(Uint256.class, List.of())));
    return "\"result\":\"0x" + encoded + "\"";
  }

  private EvmRail onChainDomainRail(MockWebServer node) {
    JsonRpcClient rpc = JsonRpcClient.create(URI.create(node.url("/").toString()));
    return EvmRail.builder()
        .signer(new CountingSigner())
        .chain(BASE, rpc)
        .tokens(EvmToken.withOnChainDomain(BASE, USDC_BASE, 6))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  @Test
  void readsTheTokenDomainOnceThroughEip5267() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (MockWebServer node =
        fakeNode(
            calls,
            request -> {
              assertThat(request.get("method").asText()).isEqualTo("eth_call");
              JsonNode call = request.get("params").get(0);
              assertThat(call.get("to").asText()).isEqualTo(USDC_BASE.toLowerCase());
              assertThat(call.get("data").asText()).isEqualTo("0x84b0196e");
              return eip712Domain(0x0f, "USD Coin", BASE, USDC_BASE);
            })) {
      EvmRail rail = onChainDomainRail(node);

      RailPayment first = rail.pay(challenge(request()), CONTEXT);
      RailPayment second = rail.pay(challenge(request()), CONTEXT);

      assertThat(first.payload().get("signature").asText()).isEqualTo(VIEM_SIGNATURE);
      assertThat(second.payload()).isEqualTo(first.payload());
      assertThat(calls).hasValue(1);
    }
  }

  static Stream<Arguments> badDomains() {
    return Stream.of(
        Arguments.of(
            "salt in the domain", eip712Domain(0x1f, "USD Coin", BASE, USDC_BASE), "fields"),
        Arguments.of("other chain", eip712Domain(0x0f, "USD Coin", 1, USDC_BASE), "chain 1"),
        Arguments.of(
            "other contract", eip712Domain(0x0f, "USD Coin", BASE, RECIPIENT), "verifyingContract"),
        Arguments.of("no EIP-5267", "\"result\":\"0x\"", "EIP-5267"),
        Arguments.of(
            "RPC error",
            "\"error\":{\"code\":-32000,\"message\":\"execution reverted\"}",
            "-32000"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badDomains")
  void unusableOnChainDomainsAreRailFailures(String name, String result, String reason)
      throws Exception {
    try (MockWebServer node = fakeNode(new AtomicInteger(), request -> result)) {
      EvmRail rail = onChainDomainRail(node);

      assertThatThrownBy(() -> rail.pay(challenge(request()), CONTEXT))
          .isInstanceOfSatisfying(
              PaymentFailedException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.RAIL_FAILED))
          .hasMessageContaining(reason);
    }
  }

  @Test
  void configurationIsCheckedWhole() {
    CountingSigner signer = new CountingSigner();
    assertThatThrownBy(() -> EvmRail.builder().chain(BASE).tokens(EvmToken.usdcOnBase()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("signer");
    assertThatThrownBy(() -> EvmRail.builder().signer(signer).chain(BASE).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("token");
    assertThatThrownBy(
            () -> EvmRail.builder().signer(signer).chain(1).tokens(EvmToken.usdcOnBase()).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("8453");
    assertThatThrownBy(
            () ->
                EvmRail.builder()
                    .signer(signer)
                    .chain(BASE)
                    .tokens(EvmToken.withOnChainDomain(BASE, USDC_BASE, 6))
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("JSON-RPC");
    assertThatThrownBy(
            () ->
                EvmRail.builder()
                    .signer(signer)
                    .chain(BASE)
                    .tokens(EvmToken.usdcOnBase(), EvmToken.usdcOnBase())
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(
            () ->
                EvmToken.of(
                    BASE,
                    "0x833589FCD6eDb6E08f4c7C32D4f71b54bdA02913",
                    6,
                    new TokenDomain("USD Coin", "2")))
        .as("a token address with a broken checksum")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toStringShowsNoKeyMaterial() {
    EvmRail rail = rail(PrivateKeySigner.of(DEV_KEY.toCharArray())).build();

    assertThat(rail.toString())
        .contains(DEV_ADDRESS)
        .contains("evm:8453:")
        .doesNotContain(DEV_KEY)
        .doesNotContain(DEV_KEY.substring(0, 16));
  }
}
