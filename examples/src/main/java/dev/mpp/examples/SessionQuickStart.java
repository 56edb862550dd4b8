package dev.mpp.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.wire.Receipt;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.rail.tempo.session.CloseResult;
import dev.mpp.rail.tempo.session.JdbcChannelStore;
import dev.mpp.rail.tempo.session.SessionProtocol;
import dev.mpp.rail.tempo.session.TempoSessionConfig;
import dev.mpp.rail.tempo.session.TempoSessionRail;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Quick start for Tempo sessions: an agent opens one payment channel on the local stack's {@code
 * /tempo/session} route, pays a series of requests with off-chain vouchers (one signature each, no
 * transaction), reads a metered event stream from the same channel ({@code /tempo/session/stream},
 * paid voucher by voucher as it is read), closes the channel and checks that the payee received
 * exactly what the vouchers authorized and the ledger agrees.
 *
 * <pre>
 * bash examples/run-demo.sh      # runs the fleet demo, then this, against the local stack
 * </pre>
 *
 * <p>Options: {@code --server URL --rpc-url URL --escrow ADDRESS} (what {@code stack.mjs} prints as
 * {@code serverUrl}, {@code rpcUrl} and {@code escrow}), {@code --requests N} (default 12) and
 * {@code --wallet FILE} (default {@code target/session-demo.db}; replaced on each run).
 */
public final class SessionQuickStart {
  private static final String AGENT = "crawler";

  private SessionQuickStart() {}

  /** Runs the demo; exits non-zero when the chain or the ledger disagrees with the receipts. */
  public static void main(String[] args) throws IOException {
    DemoStack stack = DemoStack.fromArgs(args);
    String escrow = stack.options().get("escrow");
    if (escrow == null) {
      throw new IllegalArgumentException("--escrow ADDRESS is required (stack.mjs prints it)");
    }
    int requests = Integer.parseInt(stack.options().getOrDefault("requests", "12"));
    Path file = Path.of(stack.options().getOrDefault("wallet", "target/session-demo.db"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.deleteIfExists(file);

    // One SQLite file holds the ledger and the channel: a restarted process continues the channel.
    SqliteLedgerStore ledger = SqliteLedgerStore.open(file);
    JdbcChannelStore channels = JdbcChannelStore.sqlite(file);
    TempoSessionConfig config =
        TempoSessionConfig.builder(DemoStack.CHAIN_ID)
            .asset(DemoStack.PATH_USD)
            // v1 escrows are contracts the server names; the open approves one to take the
            // deposit, so it must be trusted explicitly (v2's precompile is trusted by default).
            .trustEscrow(SessionProtocol.V1, EvmAddress.parse(escrow))
            .maxDeposit(BigInteger.valueOf(5_000_000)) // at most 5 pathUSD in any one channel
            .build();
    TempoSessionRail sessions =
        TempoSessionRail.builder(config, DemoStack.payer(), channels)
            .rpc(JsonRpcClient.create(stack.rpcUrl()))
            .ledger(ledger)
            .build();
    Policy policy =
        Policy.builder()
            .maxPerPayment("0.01") // per request: the voucher's increment
            .maxLockable("0.50") // most one channel may hold deposited and unspent
            .cap(Window.DAY, "2.00") // deposits count here while they are locked
            .build();

    String payee = stack.recipient();
    try (Wallet wallet =
            Wallet.builder().ledger(ledger).rail(sessions).agent(AGENT, policy).build();
        channels;
        sessions) {
      OkHttpClient http =
          new OkHttpClient.Builder()
              .addInterceptor(MppInterceptor.builder(wallet).agent(AGENT).build())
              .build();
      try {
        for (int i = 1; i <= requests; i++) {
          fetch(http, stack, i);
        }
        stream(http, stack);
      } finally {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
      }

      List<CloseResult> closed = sessions.closeAll(AGENT);
      BigInteger settled = BigInteger.ZERO;
      BigInteger received = BigInteger.ZERO;
      for (CloseResult result : closed) {
        System.out.printf(
            "closed %s: payee received %s, refunded %s (close tx %s)%n",
            result.channelId(),
            usd(result.settled()),
            usd(result.refunded()),
            result.closeTxHash());
        settled = settled.add(result.settled());
        if (result.closeTxHash() == null) {
          System.err.println("the server reported no close transaction: cannot check the chain");
          System.exit(1);
        }
        // The close moves the channel's money out of the escrow; the payee also pays the close's
        // network fee, so its balance grows by a little less than this.
        received =
            received.add(
                stack.transferred(result.closeTxHash(), DemoStack.PATH_USD, escrow, payee));
      }

      // What still counts against the agent's caps: after the close, exactly the vouchers paid.
      BigInteger spent =
          ledger.query(LedgerQuery.agent(AGENT)).stream()
              .filter(record -> record.state().counts())
              .map(PaymentRecord::amount)
              .reduce(BigInteger.ZERO, BigInteger::add);
      System.out.printf(
          "the escrow paid the payee %s on chain; the ledger counts %s spent by %s%n",
          usd(received), usd(spent), AGENT);
      if (!received.equals(settled) || !spent.equals(settled)) {
        System.err.println("MISMATCH: chain, close results and ledger disagree");
        System.exit(1);
      }
      System.out.println("chain, close results and ledger agree to the base unit");
    }
  }

  private static void fetch(OkHttpClient http, DemoStack stack, int i) throws IOException {
    Request request = new Request.Builder().url(stack.url("/tempo/session").toString()).build();
    try (Response response = http.newCall(request).execute()) {
      String body = response.body().string();
      String accepted =
          Receipt.parse(response.header("Payment-Receipt"))
              .json()
              .path("acceptedCumulative")
              .asText();
      String rail =
          MppInterceptor.paymentRecord(response).map(PaymentRecord::method).orElse("unpaid");
      System.out.printf(
          "#%-2d %d %s  %s, channel total accepted %s%n",
          i, response.code(), body.strip(), rail, usd(new BigInteger(accepted)));
    }
  }

  /**
   * Reads a metered Server-Sent Events stream from the same channel: the server pauses before each
   * event until it has a voucher for it, and the interceptor pays each {@code payment-need-voucher}
   * as the body is read. The caller just reads lines.
   */
  private static void stream(OkHttpClient http, DemoStack stack) throws IOException {
    Request request =
        new Request.Builder()
            .url(stack.url("/tempo/session/stream").toString())
            .header("Accept", "text/event-stream")
            .build();
    long started = System.nanoTime();
    try (Response response = http.newCall(request).execute()) {
      int messages = 0;
      int demands = 0;
      String receipt = null;
      String event = "message";
      String line;
      while ((line = response.body().source().readUtf8Line()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          switch (event) {
            case "message" -> messages++;
            case "payment-need-voucher" -> demands++;
            case "payment-receipt" -> receipt = line.substring(5).strip();
            default -> {}
          }
        } else if (line.isEmpty()) {
          event = "message";
        }
      }
      String accepted =
          receipt == null
              ? "none"
              : usd(
                  new BigInteger(
                      new ObjectMapper().readTree(receipt).path("acceptedCumulative").asText("0")));
      System.out.printf(
          "stream: %d events in %d ms, %d of them paid in-stream by voucher; channel total"
              + " accepted %s%n",
          messages, (System.nanoTime() - started) / 1_000_000, demands, accepted);
    }
  }

  /** pathUSD has 6 decimals. */
  private static String usd(BigInteger units) {
    return new BigDecimal(units, 6).toPlainString();
  }
}
