package dev.mpp.testkit.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.rail.tempo.session.ChannelState;
import dev.mpp.rail.tempo.session.ChannelStatus;
import dev.mpp.rail.tempo.session.CloseResult;
import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.scenario.ClientOptions;
import dev.mpp.testkit.scenario.HttpCall;
import dev.mpp.testkit.scenario.HttpReply;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.LocalStackExtension;
import dev.mpp.testkit.stack.ServerRoute;
import dev.mpp.testkit.stack.TransactionReceipt;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tempo sessions against the real reference server ({@code mppx@0.6.31} on the local anvil, v1
 * escrow), through one HTTP adapter: a subclass per adapter supplies the {@link AdapterDriver}.
 *
 * <p>Every scenario checks the three views that must agree to the base unit: what the server's
 * receipts say, what the escrow did on chain, and what the wallet's ledger recorded.
 */
@ExtendWith(LocalStackExtension.class)
public abstract class SessionScenarios {

  /** The price of one request on the session route, in pathUSD base units. */
  protected static final BigInteger PRICE = ServerRoute.TEMPO_SESSION.offer().amount();

  /** keccak256("Transfer(address,address,uint256)"). */
  private static final String TRANSFER_TOPIC =
      "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @TempDir protected Path dir;

  /** The adapter under test. */
  protected abstract AdapterDriver driver();

  /** A dev account no other test module pays the session route from in the same stack. */
  protected DevAccount payer() {
    return DevAccount.get(5);
  }

  /** A policy that locks at most {@code lockableUsd} per channel. */
  protected static Policy lockable(String lockableUsd) {
    return Policy.builder().maxLockable(lockableUsd).build();
  }

  protected AdapterDriver.Client client(SessionFixture fixture, String agent) {
    return driver()
        .client(
            new ClientOptions(
                fixture.wallet(),
                agent,
                false,
                false,
                null,
                dev.mpp.client.PaymentFlow.AcceptPaymentMode.KNOWN_ORIGINS,
                null,
                4L << 20,
                null,
                Duration.ofSeconds(60)));
  }

  @Test
  void opensPaysByVoucherTopsUpAndClosesWithExactSettlement(LocalStack stack) throws Exception {
    String agent = "session-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    // 21 requests fit the first deposit; the 22nd needs a top-up of another 21.
    try (SessionFixture fixture =
            SessionFixture.open(
                dir.resolve("wallet.db"), stack, payer(), agent, lockable("0.021"));
        AdapterDriver.Client client = client(fixture, agent)) {
      List<HttpReply> replies = new ArrayList<>();
      for (int i = 0; i < 26; i++) {
        HttpReply reply = client.execute(HttpCall.get(url));
        assertThat(reply.status()).as("request %d: %s", i + 1, reply.body()).isEqualTo(200);
        replies.add(reply);
      }

      ChannelState channel = onlyChannel(fixture, agent);
      String channelId = channel.channelId().toHex();
      for (int i = 0; i < replies.size(); i++) {
        HttpReply reply = replies.get(i);
        PaymentRecord record = reply.record().orElseThrow();
        assertThat(record.state()).isEqualTo(PaymentState.PAID);
        assertThat(record.intent()).isEqualTo("session");
        assertThat(record.amount()).isEqualTo(PRICE);
        assertThat(record.reference()).isEqualTo(channelId);
        JsonNode receipt = receipt(reply);
        assertThat(receipt.path("channelId").asText()).isEqualTo(channelId);
        assertThat(new BigInteger(receipt.path("acceptedCumulative").asText()))
            .as("accepted cumulative of request %d", i + 1)
            .isEqualTo(PRICE.multiply(BigInteger.valueOf(i + 1)));
      }
      assertThat(channel.deposit()).isEqualTo(BigInteger.valueOf(42_000));
      assertThat(channel.holdIds()).hasSize(2);
      assertThat(channel.highestSigned()).isEqualTo(BigInteger.valueOf(26_000));

      CloseResult closed = fixture.rail().close(channel.channelId());

      BigInteger total = PRICE.multiply(BigInteger.valueOf(26));
      assertThat(closed.settled()).isEqualTo(total);
      assertThat(closed.refunded()).isEqualTo(BigInteger.valueOf(42_000).subtract(total));
      assertThat(closed.closeTxHash()).matches("0x[0-9a-f]{64}");
      assertOnChain(stack, closed, total, BigInteger.valueOf(42_000).subtract(total));
      assertLedger(fixture, agent, channelId, total);
      assertCounted(fixture, agent, total);
      assertThat(fixture.channels().find(channel.channelId()).orElseThrow().status())
          .isEqualTo(ChannelStatus.CLOSED);
    }
  }

  @Test
  void paysAStreamsVoucherDemandsAsItIsReadAndTopsUpMidStream(LocalStack stack) throws Exception {
    String agent = "stream-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION_STREAM);
    int events = ServerRoute.SESSION_STREAM_EVENTS;
    // 15 units fit the first deposit: the second stream runs out of it mid-stream and tops up.
    try (SessionFixture fixture =
            SessionFixture.open(
                dir.resolve("wallet.db"), stack, payer(), agent, lockable("0.015"));
        AdapterDriver.Client client = client(fixture, agent)) {
      for (int stream = 1; stream <= 2; stream++) {
        HttpReply reply = client.execute(HttpCall.get(url).header("Accept", "text/event-stream"));
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.header("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String[]> sse = events(reply.body());
        List<Integer> delivered = new ArrayList<>();
        for (String[] event : sse) {
          if (event[0].equals("message")) {
            delivered.add(JSON.readTree(event[1]).path("event").asInt());
          }
        }
        assertThat(delivered)
            .as("stream %d delivered every event, in order", stream)
            .containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, events).boxed().toList());
        assertThat(sse.stream().filter(e -> e[0].equals("payment-need-voucher")).count())
            .as("stream %d paused for a voucher before every event but the first", stream)
            .isEqualTo(events - 1);
        String[] last = sse.get(sse.size() - 1);
        assertThat(last[0]).isEqualTo("payment-receipt");
        assertThat(new BigInteger(JSON.readTree(last[1]).path("acceptedCumulative").asText()))
            .isEqualTo(PRICE.multiply(BigInteger.valueOf((long) stream * events)));
        assertThat(reply.record().orElseThrow().state()).isEqualTo(PaymentState.PAID);
      }

      ChannelState channel = onlyChannel(fixture, agent);
      BigInteger total = PRICE.multiply(BigInteger.valueOf(2L * events));
      assertThat(channel.highestSigned()).isEqualTo(total);
      assertThat(channel.holdIds()).as("the deposit and one mid-stream top-up").hasSize(2);
      assertThat(channel.deposit()).isEqualTo(BigInteger.valueOf(30_000));
      assertThat(captures(fixture, agent, channel.channelId().toHex()))
          .as("one ledger record per unit: each request's voucher and each in-stream voucher")
          .hasSize(2 * events);

      CloseResult closed = fixture.rail().close(channel.channelId());

      assertThat(closed.settled()).isEqualTo(total);
      assertOnChain(stack, closed, total, BigInteger.valueOf(30_000).subtract(total));
      assertLedger(fixture, agent, channel.channelId().toHex(), total);
      assertCounted(fixture, agent, total);
    }
  }

  @Test
  void aStreamDemandThePolicyRefusesFailsTheReadAndPaysNothingMore(LocalStack stack)
      throws Exception {
    String agent = "stream-cap-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION_STREAM);
    // The day cap is the deposit: once 5 units are used, the top-up the 6th needs is refused.
    Policy policy =
        Policy.builder()
            .maxLockable("0.005")
            .cap(dev.mpp.wallet.policy.Window.DAY, "0.005")
            .build();
    try (SessionFixture fixture =
            SessionFixture.open(dir.resolve("wallet.db"), stack, payer(), agent, policy);
        AdapterDriver.Client client = client(fixture, agent)) {
      Throwable failure =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> client.execute(HttpCall.get(url).header("Accept", "text/event-stream")));

      assertThat(failure).as("the body read fails").isNotNull();
      dev.mpp.client.PaymentDeniedException denied = causeOf(failure);
      assertThat(denied.getMessage()).contains("top-up");
      ChannelState channel = onlyChannel(fixture, agent);
      BigInteger paid = PRICE.multiply(BigInteger.valueOf(5));
      assertThat(channel.highestSigned()).as("nothing signed past the refusal").isEqualTo(paid);
      assertThat(channel.holdIds()).hasSize(1);

      CloseResult closed = fixture.rail().close(channel.channelId());

      assertThat(closed.settled()).isEqualTo(paid);
      assertOnChain(stack, closed, paid, BigInteger.valueOf(5_000).subtract(paid));
      assertLedger(fixture, agent, channel.channelId().toHex(), paid);
      assertCounted(fixture, agent, paid);
    }
  }

  private static dev.mpp.client.PaymentDeniedException causeOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof dev.mpp.client.PaymentDeniedException denied) {
        return denied;
      }
    }
    throw new AssertionError("no PaymentDeniedException in the failure", failure);
  }

  /** The events of an SSE body: {type, data} pairs, in order. */
  private static List<String[]> events(String body) {
    List<String[]> events = new ArrayList<>();
    for (String block : body.replace("\r\n", "\n").split("\n\n")) {
      String type = "message";
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event:")) {
          type = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          data.append(data.length() == 0 ? "" : "\n").append(line.substring(5).strip());
        }
      }
      if (data.length() > 0) {
        events.add(new String[] {type, data.toString()});
      }
    }
    return events;
  }

  @Test
  void concurrentRequestsOnOneChannelGetDistinctAmounts(LocalStack stack) throws Exception {
    String agent = "concurrent-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    try (SessionFixture fixture =
            SessionFixture.open(dir.resolve("wallet.db"), stack, payer(), agent, lockable("0.1"));
        AdapterDriver.Client client = client(fixture, agent)) {
      assertThat(client.execute(HttpCall.get(url)).status()).isEqualTo(200);
      ExecutorService pool = Executors.newFixedThreadPool(16);
      try {
        List<Future<HttpReply>> futures = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          futures.add(pool.submit(() -> client.execute(HttpCall.get(url))));
        }
        Set<BigInteger> amounts = new TreeSet<>();
        for (Future<HttpReply> future : futures) {
          HttpReply reply = future.get();
          assertThat(reply.status()).as(reply.body()).isEqualTo(200);
          assertThat(reply.record().orElseThrow().state()).isEqualTo(PaymentState.PAID);
        }
        ChannelState channel = onlyChannel(fixture, agent);
        assertThat(channel.highestSigned()).isEqualTo(PRICE.multiply(BigInteger.valueOf(17)));
        for (PaymentRecord record : captures(fixture, agent, channel.channelId().toHex())) {
          amounts.add(new BigInteger(record.detail().replaceAll("^voucher (\\d+) .*", "$1")));
        }
        // The open voucher and 16 concurrent vouchers: 17 distinct amounts, none lost.
        assertThat(amounts).hasSize(17);
        assertThat(amounts.iterator().next()).isEqualTo(PRICE);
        CloseResult closed = fixture.rail().close(channel.channelId());
        BigInteger total = PRICE.multiply(BigInteger.valueOf(17));
        assertThat(closed.settled()).isEqualTo(total);
        assertLedger(fixture, agent, channel.channelId().toHex(), total);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void asynchronousCallsPayFromTheSameChannel(LocalStack stack) throws Exception {
    String agent = "async-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    try (SessionFixture fixture =
            SessionFixture.open(dir.resolve("wallet.db"), stack, payer(), agent, lockable("0.1"));
        AdapterDriver.Client client = client(fixture, agent)) {
      List<CompletableFuture<HttpReply>> calls = new ArrayList<>();
      assertThat(client.executeAsync(HttpCall.get(url)).get().status()).isEqualTo(200);
      for (int i = 0; i < 4; i++) {
        calls.add(client.executeAsync(HttpCall.get(url)));
      }
      for (CompletableFuture<HttpReply> call : calls) {
        assertThat(call.get().status()).isEqualTo(200);
      }
      ChannelState channel = onlyChannel(fixture, agent);
      assertThat(channel.accepted()).isEqualTo(PRICE.multiply(BigInteger.valueOf(5)));
      CloseResult closed = fixture.rail().close(channel.channelId());
      assertThat(closed.settled()).isEqualTo(PRICE.multiply(BigInteger.valueOf(5)));
    }
  }

  @Test
  void aRestartedProcessContinuesTheSameChannel(LocalStack stack) throws Exception {
    String agent = "restart-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    Path file = dir.resolve("wallet.db");
    ChannelState before;
    try (SessionFixture fixture =
            SessionFixture.open(file, stack, payer(), agent, lockable("0.1"));
        AdapterDriver.Client client = client(fixture, agent)) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.execute(HttpCall.get(url)).status()).isEqualTo(200);
      }
      before = onlyChannel(fixture, agent);
    }

    List<String> output =
        ChildProcess.run(
            SessionChild.class,
            Duration.ofSeconds(120),
            file.toString(),
            stack.rpcUrl().toString(),
            stack.server().escrow(),
            url.toString(),
            Integer.toString(payer().index()),
            agent,
            "0.1",
            "4");
    assertThat(output).contains("RESULT 200,200,200,200");

    try (SessionFixture fixture =
            SessionFixture.open(file, stack, payer(), agent, lockable("0.1"));
        AdapterDriver.Client client = client(fixture, agent)) {
      assertThat(client.execute(HttpCall.get(url)).status()).isEqualTo(200);
      ChannelState after = onlyChannel(fixture, agent);
      assertThat(after.channelId()).isEqualTo(before.channelId());
      BigInteger total = PRICE.multiply(BigInteger.valueOf(8));
      assertThat(after.highestSigned()).isEqualTo(total);
      assertThat(after.accepted()).isEqualTo(total);
      CloseResult closed = fixture.rail().close(after.channelId());
      assertThat(closed.settled()).isEqualTo(total);
      assertOnChain(stack, closed, total, after.deposit().subtract(total));
      assertLedger(fixture, agent, after.channelId().toHex(), total);
    }
  }

  @Test
  void followUpRequestsPayUpFrontInOneRoundTrip(LocalStack stack) throws Exception {
    String agent = "upfront-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    try (SessionFixture fixture =
            SessionFixture.open(dir.resolve("wallet.db"), stack, payer(), agent, lockable("0.1"));
        AdapterDriver.Client client = client(fixture, agent)) {
      for (int i = 0; i < 2; i++) {
        assertThat(client.execute(HttpCall.get(url)).status()).isEqualTo(200);
      }
      ServerLog log = ServerLog.from(stack.server().log());
      for (int i = 0; i < 6; i++) {
        HttpReply reply = client.execute(HttpCall.get(url));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.record().orElseThrow().state()).isEqualTo(PaymentState.PAID);
      }
      List<Integer> statuses = log.statusesSince(ServerRoute.TEMPO_SESSION.path(), 6);
      assertThat(statuses).as("six requests, each one round trip").containsOnly(200).hasSize(6);
      ChannelState channel = onlyChannel(fixture, agent);
      CloseResult closed = fixture.rail().close(channel.channelId());
      assertThat(closed.settled()).isEqualTo(PRICE.multiply(BigInteger.valueOf(8)));
      assertLedger(fixture, agent, channel.channelId().toHex(), closed.settled());
    }
  }

  @Test
  void aChannelClosedBehindTheClientsBackIsReplacedOnce(LocalStack stack) throws Exception {
    String agent = "gone-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    try (SessionFixture fixture =
            SessionFixture.open(dir.resolve("wallet.db"), stack, payer(), agent, lockable("0.1"));
        AdapterDriver.Client client = client(fixture, agent)) {
      for (int i = 0; i < 3; i++) {
        assertThat(client.execute(HttpCall.get(url)).status()).isEqualTo(200);
      }
      ChannelState first = onlyChannel(fixture, agent);
      BigInteger settledFirst = PRICE.multiply(BigInteger.valueOf(3));
      // Someone else (another wallet on the same key) closes the channel cooperatively.
      SessionTamper.closeBehindTheRailsBack(stack, payer(), first, settledFirst);

      HttpReply reply = client.execute(HttpCall.get(url));

      assertThat(reply.status()).as(reply.body()).isEqualTo(200);
      List<ChannelState> channels = fixture.channels().list(agent);
      assertThat(channels).hasSize(2);
      assertThat(channels.get(0).status()).isEqualTo(ChannelStatus.CLOSED);
      assertThat(channels.get(0).settled()).isEqualTo(settledFirst);
      ChannelState second = channels.get(1);
      assertThat(second.status()).isEqualTo(ChannelStatus.OPEN);
      assertThat(reply.record().orElseThrow().reference()).isEqualTo(second.channelId().toHex());
      assertLedger(fixture, agent, first.channelId().toHex(), settledFirst);
      CloseResult closed = fixture.rail().close(second.channelId());
      assertThat(closed.settled()).isEqualTo(PRICE);
      assertLedger(fixture, agent, second.channelId().toHex(), PRICE);
      assertCounted(fixture, agent, settledFirst.add(PRICE));
    }
  }

  @Test
  void theDepositNeverExceedsWhatTheBudgetAllows(LocalStack stack) throws Exception {
    String agent = "budget-" + driver().name();
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    Policy policy =
        Policy.builder().maxLockable("0.5").cap(dev.mpp.wallet.policy.Window.DAY, "0.004").build();
    try (SessionFixture fixture =
            SessionFixture.open(dir.resolve("wallet.db"), stack, payer(), agent, policy);
        AdapterDriver.Client client = client(fixture, agent)) {
      for (int i = 0; i < 4; i++) {
        assertThat(client.execute(HttpCall.get(url)).status()).isEqualTo(200);
      }
      ChannelState channel = onlyChannel(fixture, agent);
      assertThat(channel.deposit())
          .as("capped by the day cap, not the server's suggestion")
          .isEqualTo(BigInteger.valueOf(4_000));

      Throwable refused = null;
      try {
        client.execute(HttpCall.get(url));
      } catch (Exception e) {
        refused = e;
      }
      assertThat(refused)
          .as("the fifth request needs a top-up the budget does not allow")
          .isNotNull();
      assertThat(causes(refused)).anyMatch(t -> t instanceof dev.mpp.client.PaymentDeniedException);
      assertThat(onlyChannel(fixture, agent).highestSigned()).isEqualTo(BigInteger.valueOf(4_000));
      CloseResult closed = fixture.rail().close(channel.channelId());
      assertThat(closed.settled()).isEqualTo(BigInteger.valueOf(4_000));
      assertLedger(fixture, agent, channel.channelId().toHex(), BigInteger.valueOf(4_000));
      assertCounted(fixture, agent, BigInteger.valueOf(4_000));
    }
  }

  private static List<Throwable> causes(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  // ---------------------------------------------------------------------------------------------

  protected static ChannelState onlyChannel(SessionFixture fixture, String agent) {
    List<ChannelState> channels = fixture.channels().list(agent);
    assertThat(channels).hasSize(1);
    return channels.get(0);
  }

  protected static List<PaymentRecord> captures(
      SessionFixture fixture, String agent, String channelId) {
    ChannelState channel =
        fixture.channels().list(agent).stream()
            .filter(c -> c.channelId().toHex().equals(channelId))
            .findFirst()
            .orElseThrow();
    return fixture.ledger().query(LedgerQuery.agent(agent)).stream()
        .filter(r -> channelId.equals(r.reference()) && !channel.holdIds().contains(r.id()))
        .toList();
  }

  /**
   * The ledger of a closed channel: every voucher record is final, the PAID ones sum to exactly
   * what the payee received, the holds are released.
   */
  protected static void assertLedger(
      SessionFixture fixture, String agent, String channelId, BigInteger total) {
    ChannelState channel =
        fixture.channels().list(agent).stream()
            .filter(c -> c.channelId().toHex().equals(channelId))
            .findFirst()
            .orElseThrow();
    BigInteger paid = BigInteger.ZERO;
    for (PaymentRecord record : captures(fixture, agent, channelId)) {
      assertThat(record.state())
          .as(record.toString())
          .isIn(PaymentState.PAID, PaymentState.RELEASED);
      if (record.state() == PaymentState.PAID) {
        paid = paid.add(record.amount());
      }
    }
    assertThat(paid).isEqualTo(total);
    for (String hold : channel.holdIds()) {
      assertThat(fixture.ledger().find(hold).orElseThrow().state())
          .isEqualTo(PaymentState.RELEASED);
    }
  }

  /** Everything the agent's budget counts equals {@code total}. */
  protected static void assertCounted(SessionFixture fixture, String agent, BigInteger total) {
    long counted =
        fixture
            .ledger()
            .usage(dev.mpp.wallet.ledger.Limit.Scope.agent(agent), null, null)
            .usdMicros();
    assertThat(counted)
        .as("the budget counts what vouchers authorized")
        .isEqualTo(total.longValue());
  }

  /** The escrow finalized the channel; the close moved {@code toPayee} and {@code toPayer}. */
  protected static void assertOnChain(
      LocalStack stack, CloseResult closed, BigInteger toPayee, BigInteger toPayer) {
    String escrow = stack.server().escrow();
    String getChannel = "0x831c2b82" + closed.channelId().toHex().substring(2);
    String state = stack.chain().call(escrow, getChannel);
    byte[] words = hex(state);
    assertThat(words).hasSize(8 * 32);
    assertThat(words[31]).as("finalized").isEqualTo((byte) 1);
    assertThat(new BigInteger(1, java.util.Arrays.copyOfRange(words, 224, 256)))
        .as("settled")
        .isEqualTo(toPayee);
    TransactionReceipt receipt =
        stack.chain().waitForReceipt(closed.closeTxHash(), Duration.ofSeconds(30));
    assertThat(receipt.success()).isTrue();
    String payee = stack.server().recipient().toLowerCase(Locale.ROOT);
    BigInteger paidToPayee = BigInteger.ZERO;
    BigInteger refunded = BigInteger.ZERO;
    for (JsonNode log : receipt.raw().path("logs")) {
      if (!log.path("address").asText().equalsIgnoreCase(LocalChain.PATH_USD)
          || !TRANSFER_TOPIC.equals(log.path("topics").path(0).asText())) {
        continue;
      }
      String from = "0x" + log.path("topics").path(1).asText().substring(26);
      String to = "0x" + log.path("topics").path(2).asText().substring(26);
      BigInteger amount = new BigInteger(1, hex(log.path("data").asText()));
      if (from.equalsIgnoreCase(escrow) && to.equalsIgnoreCase(payee)) {
        paidToPayee = paidToPayee.add(amount);
      } else if (from.equalsIgnoreCase(escrow)) {
        refunded = refunded.add(amount);
      }
    }
    assertThat(paidToPayee).as("escrow → payee in the close transaction").isEqualTo(toPayee);
    assertThat(refunded).as("escrow → payer in the close transaction").isEqualTo(toPayer);
  }

  protected static JsonNode receipt(HttpReply reply) throws Exception {
    String header = reply.header("Payment-Receipt").orElseThrow();
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(Base64.getUrlDecoder().decode(header));
  }

  private static byte[] hex(String text) {
    String digits = text.startsWith("0x") ? text.substring(2) : text;
    return java.util.HexFormat.of().parseHex(digits);
  }
}
