package dev.mpp.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A wallet process killed (SIGKILL) right after reserving, right after signing, and right after
 * sending the credential: on restart the ledger still shows the payment (HELD, awaiting
 * reconciliation) and the caps still count it, on both durable stores.
 */
class WalletCrashTest {

  @TempDir Path dir;

  /** Reads the request line and the Authorization line of one connection. */
  private static void receive(ServerSocket server, CompletableFuture<String> received) {
    try (Socket socket = server.accept();
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
      in.readLine();
      received.complete(in.readLine());
    } catch (java.io.IOException e) {
      received.completeExceptionally(e);
    }
  }

  @ParameterizedTest(name = "{0} killed after {1}")
  @CsvSource({
    "sqlite, reserved",
    "sqlite, signed",
    "sqlite, sent",
    "postgres, reserved",
    "postgres, signed",
    "postgres, sent"
  })
  void killedWalletLeavesThePaymentCounted(String kind, String stage) throws Exception {
    String spec =
        kind.equals("sqlite")
            ? StoreSpec.sqlite(dir.resolve("wallet.db"))
            : StoreSpec.postgres(PgTestDatabase.newSchema());
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ChildJvm child =
            ChildJvm.start(
                WalletCrashChild.class, spec, stage, Integer.toString(server.getLocalPort()))) {
      CompletableFuture<String> received = new CompletableFuture<>();
      if (stage.equals("sent")) {
        Thread acceptor = new Thread(() -> receive(server, received), "crash-test-server");
        acceptor.setDaemon(true);
        acceptor.start();
      }
      child.awaitLine("READY", 120);
      if (stage.equals("sent")) {
        // the credential has reached the server: money may have moved
        assertThat(received.get(60, TimeUnit.SECONDS)).startsWith("Authorization: Payment ");
      }
      child.kill();
    }

    try (LedgerStore store = StoreSpec.open(spec)) {
      List<PaymentRecord> records = store.query(LedgerQuery.agent(WalletCrashChild.AGENT));
      assertThat(records).hasSize(1);
      PaymentRecord record = records.get(0);
      assertThat(record.state()).isIn(PaymentState.HELD, PaymentState.UNKNOWN);
      assertThat(record.usdMicros()).isEqualTo(6_000_000);
      assertThat(store.usage(Limit.Scope.fleet(WalletCrashChild.FLEET), null, null).usdMicros())
          .isEqualTo(6_000_000);

      Wallet restarted = WalletCrashChild.wallet(store, TestRail.usd()).build();
      assertThatThrownBy(
              () ->
                  restarted.authorize(
                      Offers.context(WalletCrashChild.AGENT),
                      List.of(Offers.offer("after-1", "test", "401", "usd"))))
          .isInstanceOf(PaymentDeniedException.class);
      assertThat(
              restarted
                  .authorize(
                      Offers.context(WalletCrashChild.AGENT),
                      List.of(Offers.offer("after-2", "test", "400", "usd")))
                  .record()
                  .state())
          .isEqualTo(PaymentState.HELD);
    }
  }
}
