package dev.mpp.examples.stripe;

import dev.mpp.client.PaymentRecord;
import dev.mpp.okhttp.MppIOException;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.rail.stripe.StripeRail;
import dev.mpp.rail.stripe.StripeSecretKey;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The smallest useful agent: it pays {@code stripe/charge} offers through OkHttp, under a budget,
 * and keeps its ledger in memory. Its module depends on {@code mpp-client-okhttp}, {@code
 * mpp-wallet} and {@code mpp-rail-stripe} only, and its build proves that no chain library,
 * BouncyCastle or JDBC driver comes with them.
 *
 * <p>Run: {@code MPP_STRIPE_SECRET_KEY=sk_test_… java … StripeOkHttpExample URL [pm_…]}; the
 * optional {@code MPP_STRIPE_API_BASE} points the rail at another Stripe API base (tests).
 */
public final class StripeOkHttpExample {
  private StripeOkHttpExample() {}

  /** Fetches {@code args[0]}, paying with the payment method {@code args[1]} (a test card). */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: StripeOkHttpExample URL [PAYMENT_METHOD]");
      System.exit(2);
    }
    String paymentMethod = args.length > 1 ? args[1] : "pm_card_visa";
    StripeRail.Builder rail =
        StripeRail.builder()
            .secretKey(StripeSecretKey.fromEnvironment("MPP_STRIPE_SECRET_KEY"))
            .paymentMethod(paymentMethod)
            .currencies("usd");
    String apiBase = System.getenv("MPP_STRIPE_API_BASE");
    if (apiBase != null) {
      rail.apiBase(URI.create(apiBase));
    }
    Optional<PaymentRecord> paid = fetch(args[0], rail.build());
    System.exit(paid.isPresent() ? 0 : 1);
  }

  /** Fetches {@code url} with an agent that pays through {@code stripe}; returns what it paid. */
  public static Optional<PaymentRecord> fetch(String url, StripeRail stripe) throws IOException {
    try (Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(stripe)
            .agent(
                "shopper", Policy.builder().maxPerPayment("1.00").cap(Window.DAY, "10.00").build())
            .build()) {
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(MppInterceptor.builder(wallet).agent("shopper").build())
              .build();
      try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
        System.out.println(response.code() + " " + response.body().string());
        Optional<PaymentRecord> paid = MppInterceptor.paymentRecord(response);
        paid.ifPresent(
            record ->
                System.out.printf(
                    "paid %s USD via %s, receipt %s%n",
                    record.usd(), record.method(), record.reference()));
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
