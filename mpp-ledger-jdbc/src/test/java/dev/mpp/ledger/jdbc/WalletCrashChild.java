package dev.mpp.ledger.jdbc;

import dev.mpp.client.PaymentAuthorization;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.Offers;
import dev.mpp.wallet.testing.TestRail;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Child JVM of {@link WalletCrashTest}: pays one 6.00 usd offer through a real {@link Wallet} on a
 * durable ledger and stops dead at one stage, printing {@code READY} for the parent to kill it.
 * Arguments: {@code <store spec> <reserved|signed|sent> <port for "sent">}.
 */
final class WalletCrashChild {
  static final String AGENT = "crash-agent";
  static final String FLEET = "crash-fleet";

  private WalletCrashChild() {}

  /** The policies of parent and child: 10.00 usd a day for the agent, 10.00 for the fleet. */
  static Wallet.Builder wallet(LedgerStore store, TestRail rail) {
    return Wallet.builder()
        .ledger(store)
        .rail(rail)
        .fleet(FLEET, Policy.builder().cap(Window.DAY, "10.00").build())
        .agent(AGENT, FLEET, Policy.builder().cap(Window.DAY, "10.00").build());
  }

  public static void main(String[] args) throws Exception {
    String stage = args[1];
    TestRail rail =
        TestRail.builder()
            .asset("usd", 2)
            .payload(
                challenge -> {
                  if (stage.equals("reserved")) {
                    // the reservation is committed; the rail is about to sign
                    ready("reserved");
                  }
                  return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                      .objectNode()
                      .put("token", "test-" + challenge.id());
                })
            .build();
    LedgerStore store = StoreSpec.open(args[0]);
    Wallet wallet = wallet(store, rail).build();
    PaymentAuthorization authorization =
        wallet.authorize(
            Offers.context(AGENT), List.of(Offers.offer("crash-1", "test", "600", "usd")));
    if (stage.equals("signed")) {
      ready(authorization.record().id());
    }
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args[2]))) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /v1/data HTTP/1.1\r\nAuthorization: "
                  + authorization.authorizationHeader()
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      ready(authorization.record().id()); // sent; the answer never comes
    }
  }

  private static void ready(String what) {
    System.out.println("READY " + what);
    System.out.flush();
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(3);
  }
}
