package dev.mpp.examples;

import dev.mpp.client.MppException;
import dev.mpp.jdk.MppHttpClient;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A {@code java.net.http.HttpClient} agent that pays for {@code GET /tempo/sponsored} on the local
 * stack (the server sponsors the fee): the JDK client wrapped by {@link MppHttpClient}, used like
 * any {@code HttpClient}. Run it like {@link OkHttpQuickStart}.
 */
public final class JdkQuickStart {
  private JdkQuickStart() {}

  /** Pays one request and prints the response, the receipt and the ledger record. */
  public static void main(String[] args) throws IOException, InterruptedException {
    LocalStack stack = LocalStack.fromArgs(args);
    try (Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(stack.tempoRail(LocalStack.payer()))
            .agent("quick-start", Policy.builder().cap(Window.DAY, "1.00").build())
            .build()) {
      HttpClient client =
          MppHttpClient.builder(HttpClient.newHttpClient(), wallet).agent("quick-start").build();
      HttpRequest request = HttpRequest.newBuilder(stack.url("/tempo/sponsored")).build();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        System.out.println("HTTP " + response.statusCode() + ": " + response.body());
        MppHttpClient.paymentRecord(response).ifPresent(OkHttpQuickStart::print);
      } catch (MppException e) {
        System.out.println("not paid: " + e.code() + ": " + e.getMessage());
      }
    }
  }
}
