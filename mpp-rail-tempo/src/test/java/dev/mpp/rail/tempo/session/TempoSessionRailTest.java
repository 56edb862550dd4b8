package dev.mpp.rail.tempo.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.ProblemType;
import dev.mpp.client.wire.Receipt;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session rail's own rules, without a chain or server: deposit sizing, persisting before
 * signing, distinct amounts under concurrency, what a refusal does to the ledger, and the up-front
 * measurement.
 */
class TempoSessionRailTest {

  static final String TOKEN = "0x20c0000000000000000000000000000000000000";
  static final String PAYEE = "0xa0ee7a142d267c1f36714e4a8f75612f20a79720";
  static final String ESCROW = "0x95bd8d42f30351685e96c62eddc0d0613bf9a87a";
  static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  static final URI URL = URI.create("https://api.example.test/items");

  final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  final InMemoryChannelStore channels = new InMemoryChannelStore();
  final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  final List<Map.Entry<String, Map<String, String>>> posted = new ArrayList<>();
  Wallet wallet;
  TempoSessionRail rail;

  @AfterEach
  void close() {
    if (wallet != null) {
      wallet.close();
    }
  }

  static Challenge challenge(String id, String suggestedDeposit) {
    String json =
        "{\"amount\":\"1000\",\"currency\":\""
            + TOKEN
            + "\",\"methodDetails\":{\"chainId\":1337,\"escrowContract\":\""
            + ESCROW
            + "\"},\"recipient\":\""
            + PAYEE
            + "\""
            + (suggestedDeposit == null ? "" : ",\"suggestedDeposit\":\"" + suggestedDeposit + "\"")
            + ",\"unitType\":\"request\"}";
    return Challenge.builder()
        .id(id)
        .realm("api")
        .method("tempo")
        .intent("session")
        .request(
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(json.getBytes(StandardCharsets.UTF_8)))
        .expires(NOW.plusSeconds(300))
        .build();
  }

  static Receipt receipt(String channelId, BigInteger accepted) {
    String json =
        "{\"method\":\"tempo\",\"intent\":\"session\",\"status\":\"success\","
            + "\"timestamp\":\"2026-04-01T10:00:01Z\",\"reference\":\""
            + channelId
            + "\",\"challengeId\":\"x\",\"channelId\":\""
            + channelId
            + "\",\"acceptedCumulative\":\""
            + accepted
            + "\",\"spent\":\""
            + accepted
            + "\"}";
    return Receipt.parse(
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8)));
  }

  static Signer key() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    return PrivateKeySigner.of(key);
  }

  void build(Policy policy, long maxDeposit, Signer signer) {
    TempoSessionConfig config =
        TempoSessionConfig.builder(1337)
            .asset(EvmAddress.parse(TOKEN))
            .trustEscrow(SessionProtocol.V1, EvmAddress.parse(ESCROW))
            .maxDeposit(BigInteger.valueOf(maxDeposit))
            .maxFeePerGas(BigInteger.valueOf(10_000_000_000L))
            .build();
    rail =
        TempoSessionRail.builder(config, signer, channels)
            .clock(clock)
            .ledger(ledger)
            .transport(
                (method, url, headers) -> {
                  synchronized (posted) {
                    posted.add(Map.entry(method, headers));
                  }
                  return new SessionTransport.Response(204, Map.of(), new byte[0]);
                })
            .build();
    wallet = Wallet.builder().ledger(ledger).rail(rail).clock(clock).agent("bot", policy).build();
  }

  PaymentAuthorization pay(Challenge challenge) {
    return wallet.authorize(PaymentContext.of(URL, "GET", "bot"), List.of(challenge));
  }

  static String action(PaymentAuthorization authorization) {
    return Credential.parse(authorization.authorizationHeader()).payload().path("action").asText();
  }

  static BigInteger amount(PaymentAuthorization authorization) {
    return new BigInteger(
        Credential.parse(authorization.authorizationHeader())
            .payload()
            .path("cumulativeAmount")
            .asText());
  }

  static String channelId(PaymentAuthorization authorization) {
    return Credential.parse(authorization.authorizationHeader())
        .payload()
        .path("channelId")
        .asText();
  }

  PaymentAuthorization open(Challenge challenge) {
    PaymentAuthorization open = pay(challenge);
    assertThat(action(open)).isEqualTo("open");
    open.settle(200, receipt(channelId(open), amount(open)), null);
    return open;
  }

  @Test
  void theDepositIsTheSmallestOfConfigPolicySuggestionAndBudget() {
    build(Policy.builder().maxLockable("0.05").cap(Window.DAY, "0.04").build(), 60_000, key());

    PaymentAuthorization open = pay(challenge("c1", "1000000"));

    ChannelState channel = channels.list("bot").get(0);
    assertThat(channel.deposit())
        .as("the day cap is the smallest")
        .isEqualTo(BigInteger.valueOf(40_000));
    assertThat(channel.highestSigned()).isEqualTo(BigInteger.valueOf(1_000));
    assertThat(amount(open)).isEqualTo(BigInteger.valueOf(1_000));
    PaymentRecord hold = ledger.find(channel.holdIds().get(0)).orElseThrow();
    assertThat(hold.state()).isEqualTo(PaymentState.HELD);
    assertThat(hold.amount()).isEqualTo(BigInteger.valueOf(39_000)); // the open captured 1000
    assertThat(ledger.usage(Limit.Scope.agent("bot"), null, null).usdMicros())
        .as("deposit held: counted in full")
        .isEqualTo(40_000);
  }

  @Test
  void aSmallSuggestionLowersTheDepositButNeverRaisesIt() {
    build(Policy.unlimited(), 5_000, key());

    pay(challenge("c1", "3000"));
    assertThat(channels.list("bot").get(0).deposit()).isEqualTo(BigInteger.valueOf(3_000));

    channels.update(
        channels.list("bot").get(0),
        channels.list("bot").get(0).next(NOW).status(ChannelStatus.CLOSED).build());
    pay(challenge("c2", "1000000000"));
    assertThat(channels.list("bot").get(1).deposit()).isEqualTo(BigInteger.valueOf(5_000));
  }

  @Test
  void aBudgetTooSmallForOneRequestDeniesWithoutSigning() {
    List<byte[]> signed = new ArrayList<>();
    Signer counting =
        new Signer() {
          final Signer key = key();

          @Override
          public String address() {
            return key.address();
          }

          @Override
          public Signature sign(byte[] hash32) {
            signed.add(hash32);
            return key.sign(hash32);
          }
        };
    build(Policy.builder().cap(Window.DAY, "0.0005").build(), 1_000_000, counting);

    assertThatThrownBy(() -> pay(challenge("c1", null))).isInstanceOf(PaymentDeniedException.class);

    assertThat(signed).isEmpty();
    assertThat(channels.list(null)).isEmpty();
    assertThat(ledger.query(LedgerQuery.all())).isEmpty();
  }

  @Test
  void everyAmountIsPersistedBeforeItIsSigned() {
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    Signer checking =
        new Signer() {
          final Signer key = key();

          @Override
          public String address() {
            return key.address();
          }

          @Override
          public Signature sign(byte[] hash32) {
            for (ChannelState channel : channels.list(null)) {
              for (long amount = 1_000; amount <= 100_000; amount += 1_000) {
                byte[] digest =
                    Voucher.digest(
                            SessionProtocol.V1,
                            1337,
                            EvmAddress.parse(ESCROW),
                            channel.channelId(),
                            BigInteger.valueOf(amount))
                        .toBytes();
                if (Arrays.equals(digest, hash32)
                    && channel.highestSigned().compareTo(BigInteger.valueOf(amount)) < 0) {
                  violations.add(amount + " signed while " + channel.highestSigned() + " stored");
                }
              }
            }
            return key.sign(hash32);
          }
        };
    build(Policy.unlimited(), 100_000, checking);
    open(challenge("c1", null));

    for (int i = 0; i < 10; i++) {
      PaymentAuthorization voucher = pay(challenge("c" + (i + 2), null));
      voucher.settle(200, receipt(channelId(voucher), amount(voucher)), null);
    }

    assertThat(violations).isEmpty();
    assertThat(channels.list("bot").get(0).highestSigned()).isEqualTo(BigInteger.valueOf(11_000));
  }

  @Test
  void concurrentPaymentsGetDistinctIncreasingAmounts() throws Exception {
    build(Policy.unlimited(), 1_000_000, key());
    open(challenge("c0", null));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<BigInteger>> futures = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String id = "c" + (i + 1);
        futures.add(pool.submit(() -> amount(pay(challenge(id, null)))));
      }
      Set<BigInteger> amounts = new TreeSet<>();
      for (Future<BigInteger> future : futures) {
        amounts.add(future.get());
      }
      assertThat(amounts).hasSize(64);
      assertThat(amounts.iterator().next()).isEqualTo(BigInteger.valueOf(2_000));
      assertThat(((TreeSet<BigInteger>) amounts).last()).isEqualTo(BigInteger.valueOf(65_000));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theVoucherThatWouldExceedTheDepositTopsUpFirst() {
    build(Policy.builder().maxLockable("0.003").build(), 1_000_000, key());
    open(challenge("c1", null));
    for (int i = 2; i <= 3; i++) {
      PaymentAuthorization voucher = pay(challenge("c" + i, null));
      voucher.settle(200, receipt(channelId(voucher), amount(voucher)), null);
    }
    assertThat(posted).isEmpty();

    PaymentAuthorization fourth = pay(challenge("c4", null));

    assertThat(posted).hasSize(1);
    assertThat(posted.get(0).getKey()).isEqualTo("POST");
    assertThat(
            Credential.parse(posted.get(0).getValue().get("Authorization"))
                .payload()
                .path("action")
                .asText())
        .isEqualTo("topUp");
    assertThat(amount(fourth)).isEqualTo(BigInteger.valueOf(4_000));
    ChannelState channel = channels.list("bot").get(0);
    assertThat(channel.deposit()).isEqualTo(BigInteger.valueOf(6_000));
    assertThat(channel.holdIds()).hasSize(2);
  }

  @Test
  void aRefusedVoucherStaysCountedAndTheRetryReusesItsAmount() {
    build(Policy.unlimited(), 1_000_000, key());
    open(challenge("c1", null));
    PaymentContext context = PaymentContext.of(URL, "GET", "bot");

    PaymentAuthorization refused = wallet.authorize(context, List.of(challenge("c2", null)));
    PaymentRecord record =
        refused.reject(402, Problem.of(ProblemType.INVALID_CHALLENGE, "stale challenge"));
    PaymentAuthorization retry = wallet.authorize(context, List.of(challenge("c3", null)));

    assertThat(record.state()).isEqualTo(PaymentState.UNKNOWN);
    assertThat(amount(retry)).isEqualTo(amount(refused)).isEqualTo(BigInteger.valueOf(2_000));
    assertThat(retry.challenge().id()).isEqualTo("c3");
    assertThat(retry.record().id()).isEqualTo(refused.record().id());
    assertThat(retry.settle(200, receipt(channelId(retry), amount(retry)), null).state())
        .isEqualTo(PaymentState.PAID);
    assertThat(amount(pay(challenge("c4", null)))).isEqualTo(BigInteger.valueOf(3_000));
  }

  @Test
  void upFrontVouchersAreOfferedOnlyWhileTheServerTakesThem() {
    build(Policy.unlimited(), 1_000_000, key());
    PaymentContext first = PaymentContext.of(URL, "GET", "bot");
    assertThat(rail.upfrontChallenge(first)).isEmpty();
    open(challenge("c1", null));

    PaymentAuthorization upfront =
        wallet.preauthorize(PaymentContext.of(URL, "GET", "bot")).orElseThrow();
    assertThat(upfront.challenge().id()).isEqualTo("c1");
    upfront.settle(200, receipt(channelId(upfront), amount(upfront)), null);
    assertThat(rail.acceptsUpfrontVouchers(first)).contains(true);
    assertThat(rail.upfrontChallenge(PaymentContext.of(URL, "POST", "bot"))).isEmpty();

    PaymentAuthorization again =
        wallet.preauthorize(PaymentContext.of(URL, "GET", "bot")).orElseThrow();
    again.reject(402, Problem.of(ProblemType.INVALID_CHALLENGE, "route changed"));
    assertThat(wallet.preauthorize(PaymentContext.of(URL, "GET", "bot"))).isEmpty();
    PaymentAuthorization normal = pay(challenge("c9", null));
    normal.settle(200, receipt(channelId(normal), amount(normal)), null);
    PaymentAuthorization remeasured =
        wallet.preauthorize(PaymentContext.of(URL, "GET", "bot")).orElseThrow();
    assertThat(remeasured.challenge().id()).isEqualTo("c9");
    remeasured.reject(402, Problem.of(ProblemType.INVALID_CHALLENGE, "no earlier challenges"));
    assertThat(rail.acceptsUpfrontVouchers(first)).contains(false);
    assertThat(wallet.preauthorize(PaymentContext.of(URL, "GET", "bot"))).isEmpty();
  }

  @Test
  void aGoneChannelIsForgottenAndTheNextPaymentOpensAnother() {
    build(Policy.unlimited(), 1_000_000, key());
    PaymentAuthorization open = open(challenge("c1", null));

    PaymentAuthorization voucher = pay(challenge("c2", null));
    voucher.reject(410, Problem.of(ProblemType.SESSION_CHANNEL_NOT_FOUND, null));

    List<ChannelState> all = channels.list("bot");
    assertThat(all.get(0).status()).isEqualTo(ChannelStatus.CLOSED);
    PaymentAuthorization next = pay(challenge("c3", null));
    assertThat(action(next)).isEqualTo("open");
    assertThat(channelId(next)).isNotEqualTo(channelId(open));
  }
}
