package dev.mpp.examples;

import dev.mpp.client.MppException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.jdk.MppHttpClient;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.HmacTestRail;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * Quick start with {@code java.net.http}: the same agent as {@link OkHttpQuickStart}, through a
 * {@link MppHttpClient} wrapped around an ordinary {@link HttpClient}. Pass a URL, or run it
 * without arguments against a {@link DemoPaywall} on loopback.
 */
public final class JdkQuickStart {
  private JdkQuickStart() {}

  /** Fetches {@code args[0]} (or a demo resource) and prints what was paid. */
  public static void main(String[] args) throws IOException, InterruptedException {
    try (DemoPaywall demo =
        args.length == 0 ? DemoPaywall.start(HmacTestRail.DEFAULT_SECRET) : null) {
      fetch(args.length > 0 ? args[0] : demo.url("/weather"));
    }
  }

  /** Fetches {@code url}, paying if asked to; returns the payment record, if any. */
  public static Optional<PaymentRecord> fetch(String url) throws IOException, InterruptedException {
    try (Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(HmacTestRail.of(HmacTestRail.DEFAULT_SECRET))
            .agent("bot-1", Policy.builder().maxPerPayment("0.50").cap(Window.DAY, "5.00").build())
            .build()) {
      HttpClient client =
          MppHttpClient.builder(HttpClient.newHttpClient(), wallet).agent("bot-1").build();

      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println(response.statusCode() + " " + response.body());
        Optional<PaymentRecord> paid = MppHttpClient.paymentRecord(response);
        paid.ifPresent(
            record ->
                System.out.printf(
                    "paid %s USD via %s, receipt %s%n  why: %s%n",
                    record.usd(), record.method(), record.reference(), record.rationale()));
        return paid;
      } catch (MppException e) {
        System.out.println("not paid: " + e.code() + ": " + e.getMessage());
        return Optional.empty();
      }
    }
  }
}
