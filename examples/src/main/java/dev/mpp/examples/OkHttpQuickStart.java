package dev.mpp.examples;

import dev.mpp.client.PaymentRecord;
import dev.mpp.okhttp.MppIOException;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.HmacTestRail;
import java.io.IOException;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Quick start with OkHttp: an agent that may spend at most $0.50 per request and $5.00 a day
 * fetches a paid resource. Pass a URL (e.g. {@code http://127.0.0.1:8402/test/charge} on the
 * reference server in {@code examples/mpp-server}); without one it starts a {@link DemoPaywall} on
 * loopback.
 */
public final class OkHttpQuickStart {
  private OkHttpQuickStart() {}

  /** Fetches {@code args[0]} (or a demo resource) and prints what was paid. */
  public static void main(String[] args) throws IOException {
    try (DemoPaywall demo =
        args.length == 0 ? DemoPaywall.start(HmacTestRail.DEFAULT_SECRET) : null) {
      fetch(args.length > 0 ? args[0] : demo.url("/weather"));
    }
  }

  /** Fetches {@code url}, paying if asked to; returns the payment record, if any. */
  public static Optional<PaymentRecord> fetch(String url) throws IOException {
    try (Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(HmacTestRail.of(HmacTestRail.DEFAULT_SECRET))
            .agent("bot-1", Policy.builder().maxPerPayment("0.50").cap(Window.DAY, "5.00").build())
            .build()) {
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(MppInterceptor.builder(wallet).agent("bot-1").build())
              .build();

      try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
        System.out.println(response.code() + " " + response.body().string());
        Optional<PaymentRecord> paid = MppInterceptor.paymentRecord(response);
        paid.ifPresent(
            record ->
                System.out.printf(
                    "paid %s USD via %s, receipt %s%n  why: %s%n",
                    record.usd(), record.method(), record.reference(), record.rationale()));
        return paid;
      } catch (MppIOException e) {
        System.out.println("not paid: " + e.error().code() + ": " + e.error().getMessage());
        return Optional.empty();
      } finally {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    }
  }
}
