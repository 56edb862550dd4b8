package dev.mpp.testkit.evm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.rail.evm.EvmRail;
import dev.mpp.rail.evm.EvmToken;
import dev.mpp.rail.evm.TokenDomain;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;

/**
 * The EVM rail against a real chain: a small EIP-3009 token (checked-in bytecode, see {@code
 * Eip3009TestToken.sol}) deployed on the local anvil ({@link LocalChain}; its Tempo mode runs
 * ordinary EVM contracts). The authorization the rail signs, submitted like a server would via
 * {@code transferWithAuthorization}, moves the exact amount once; the same authorization is
 * rejected the second time, and one signed under the wrong domain moves nothing.
 */
class Eip3009AuthorizationChainTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(30);
  private static final BigInteger SUPPLY = BigInteger.valueOf(1_000_000_000L);
  private static final DevAccount DEPLOYER = DevAccount.get(0);
  private static final DevAccount PAYER = DevAccount.get(6);
  private static final DevAccount SUBMITTER = DevAccount.get(7);
  private static final String RECIPIENT = DevAccount.get(8).address();
  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.example.com/paid"), "GET", "bot-1");
  private static final AtomicInteger CHALLENGES = new AtomicInteger();

  private static LocalChain chain;
  private static String token;

  @BeforeAll
  static void deployToken() {
    chain = LocalChain.start();
    token = Eip3009TestToken.deploy(chain, DEPLOYER, "Test USD", "1", PAYER.address(), SUPPLY);
    assertThat(chain.balanceOf(token, PAYER.address())).isEqualTo(SUPPLY);
  }

  @AfterAll
  static void stopChain() {
    if (chain != null) {
      chain.close();
    }
  }

  private static EvmRail rail(EvmToken configured) {
    return EvmRail.builder()
        .signer(PrivateKeySigner.of(PAYER.privateKeyHex().toCharArray()))
        .chain(chain.chainId(), JsonRpcClient.create(chain.rpcUrl()))
        .tokens(configured)
        .build();
  }

  private static Challenge challenge(BigInteger amount) {
    ObjectNode request = JSON.createObjectNode();
    request.put("amount", amount.toString());
    request.put("currency", token);
    request.put("recipient", RECIPIENT);
    ObjectNode details = request.putObject("methodDetails");
    details.put("chainId", chain.chainId());
    details.putArray("credentialTypes").add("authorization");
    details.put("decimals", 6);
    return Challenge.builder()
        .id("chain-test-" + CHALLENGES.incrementAndGet())
        .realm("api.example.com")
        .method("evm")
        .intent("charge")
        .request(PaymentRequest.of(request).raw())
        .expires(Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS))
        .build();
  }

  /** {@code transferWithAuthorization(from,to,value,validAfter,validBefore,nonce,v,r,s)}. */
  private static String transferWithAuthorization(ObjectNode payload, BigInteger valueOverride) {
    Signature signature = Signature.fromHex(payload.get("signature").asText());
    byte[] nonce = HexFormat.of().parseHex(payload.get("nonce").asText().substring(2));
    Function call =
        new Function(
            "transferWithAuthorization",
            List.of(
                new Address(payload.get("from").asText()),
                new Address(payload.get("to").asText()),
                new Uint256(
                    valueOverride != null
                        ? valueOverride
                        : new BigInteger(payload.get("value").asText())),
                new Uint256(new BigInteger(payload.get("validAfter").asText())),
                new Uint256(new BigInteger(payload.get("validBefore").asText())),
                new Bytes32(nonce),
                new Uint8(signature.v()),
                new Bytes32(toBytes32(signature.r())),
                new Bytes32(toBytes32(signature.s()))),
            List.of());
    return FunctionEncoder.encode(call);
  }

  private static byte[] toBytes32(BigInteger value) {
    byte[] raw = value.toByteArray();
    byte[] word = new byte[32];
    int length = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - length, word, 32 - length, length);
    return word;
  }

  /** What the token says when the call would run now: null on success, else the revert text. */
  private static String simulate(String calldata) {
    Throwable failure = catchThrowable(() -> chain.call(token, calldata));
    return failure == null ? null : failure.getMessage();
  }

  /** Submits like a server would; returns whether a transaction succeeded on chain. */
  private static boolean submit(String calldata) {
    String hash;
    try {
      hash = chain.sendTransaction(SUBMITTER, token, calldata);
    } catch (RuntimeException refused) {
      // anvil estimates gas first and refuses a call that reverts.
      return false;
    }
    return chain.waitForReceipt(hash, RECEIPT_TIMEOUT).success();
  }

  @Test
  void authorizationMovesTheExactAmountOnceAndIsRejectedTheSecondTime() {
    BigInteger amount = BigInteger.valueOf(1_234_567);
    EvmRail rail = rail(EvmToken.withOnChainDomain(chain.chainId(), token, 6));
    Challenge challenge = challenge(amount);
    BigInteger payerBefore = chain.balanceOf(token, PAYER.address());
    BigInteger recipientBefore = chain.balanceOf(token, RECIPIENT);
    BigInteger submitterBefore = chain.balanceOf(token, SUBMITTER.address());

    RailPayment payment = rail.pay(challenge, CONTEXT);
    String calldata = transferWithAuthorization(payment.payload(), null);

    assertThat(payment.sourceDid())
        .contains("did:pkh:eip155:" + chain.chainId() + ":" + PAYER.address());
    assertThat(simulate(calldata)).as("token accepts the authorization").isNull();
    assertThat(submit(calldata)).as("first submission").isTrue();
    assertThat(chain.balanceOf(token, PAYER.address())).isEqualTo(payerBefore.subtract(amount));
    assertThat(chain.balanceOf(token, RECIPIENT)).isEqualTo(recipientBefore.add(amount));
    assertThat(chain.balanceOf(token, SUBMITTER.address())).isEqualTo(submitterBefore);

    assertThat(simulate(calldata)).contains("authorization is used");
    assertThat(submit(calldata)).as("second submission").isFalse();
    assertThat(chain.balanceOf(token, PAYER.address())).isEqualTo(payerBefore.subtract(amount));
    assertThat(chain.balanceOf(token, RECIPIENT)).isEqualTo(recipientBefore.add(amount));
  }

  @Test
  void configuredDomainMatchesTheOnChainOne() {
    Challenge challenge = challenge(BigInteger.valueOf(42));

    RailPayment fromChain =
        rail(EvmToken.withOnChainDomain(chain.chainId(), token, 6)).pay(challenge, CONTEXT);
    RailPayment configured =
        rail(EvmToken.of(chain.chainId(), token, 6, new TokenDomain("Test USD", "1")))
            .pay(challenge, CONTEXT);

    assertThat(configured.payload()).isEqualTo(fromChain.payload());
    assertThat(simulate(transferWithAuthorization(configured.payload(), null))).isNull();
  }

  @Test
  void authorizationUnderTheWrongDomainOrAlteredMovesNothing() {
    BigInteger amount = BigInteger.valueOf(5_000);
    BigInteger payerBefore = chain.balanceOf(token, PAYER.address());
    BigInteger recipientBefore = chain.balanceOf(token, RECIPIENT);

    RailPayment wrongDomain =
        rail(EvmToken.of(chain.chainId(), token, 6, new TokenDomain("USD Coin", "2")))
            .pay(challenge(amount), CONTEXT);
    RailPayment genuine =
        rail(EvmToken.withOnChainDomain(chain.chainId(), token, 6)).pay(challenge(amount), CONTEXT);
    String inflated = transferWithAuthorization(genuine.payload(), amount.add(BigInteger.ONE));

    assertThat(simulate(transferWithAuthorization(wrongDomain.payload(), null)))
        .contains("invalid signature");
    assertThat(simulate(inflated)).contains("invalid signature");
    assertThat(submit(transferWithAuthorization(wrongDomain.payload(), null))).isFalse();
    assertThat(submit(inflated)).isFalse();
    assertThat(chain.balanceOf(token, PAYER.address())).isEqualTo(payerBefore);
    assertThat(chain.balanceOf(token, RECIPIENT)).isEqualTo(recipientBefore);
  }
}
