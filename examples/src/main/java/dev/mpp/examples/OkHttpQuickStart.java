package dev.mpp.examples;

import dev.mpp.client.PaymentRecord;
import dev.mpp.okhttp.MppIOException;
import dev.mpp.okhttp.MppInterceptor;
import dev.mpp.wallet.Wallet;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import java.io.IOException;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp agent that pays for {@code GET /tempo/charge} on the local stack: a wallet with a Tempo
 * rail and a daily budget, an interceptor, and an ordinary call. Run it against a running stack:
 *
 * <pre>
 * node examples/mpp-server/stack.mjs        # prints serverUrl and rpcUrl
 * java -cp "examples/target/classes:examples/target/lib/*" dev.mpp.examples.OkHttpQuickStart \
 *     --server http://127.0.0.1:PORT --rpc-url http://127.0.0.1:PORT
 * </pre>
 */
public final class OkHttpQuickStart {
  private OkHttpQuickStart() {}

  /** Pays one request and prints the response, the receipt and the ledger record. */
  public static void main(String[] args) throws IOException {
    LocalStack stack = LocalStack.fromArgs(args);
    try (Wallet wallet =
        Wallet.builder()
            .ledger(new InMemoryLedgerStore())
            .rail(stack.tempoRail(LocalStack.payer()))
            .agent("quick-start", Policy.builder().cap(Window.DAY, "1.00").build())
            .build()) {
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(MppInterceptor.builder(wallet).agent("quick-start").build())
              .build();
      Request request = new Request.Builder().url(stack.url("/tempo/charge").toString()).build();
      try (Response response = client.newCall(request).execute()) {
        System.out.println("HTTP " + response.code() + ": " + response.body().string());
        MppInterceptor.paymentRecord(response).ifPresent(OkHttpQuickStart::print);
      } catch (MppIOException e) {
        // A refused or failed payment: e.error() is the typed reason (denied, no offer, ...).
        System.out.println("not paid: " + e.error().code() + ": " + e.error().getMessage());
      }
    }
  }

  static void print(PaymentRecord paid) {
    System.out.printf(
        "paid %s of %s (%s usd) via %s, state %s, reference %s%n",
        paid.units().toPlainString(),
        paid.currency(),
        paid.usd().toPlainString(),
        paid.method(),
        paid.state(),
        paid.reference());
    paid.receipt().ifPresent(receipt -> System.out.println("receipt: " + receipt.json()));
  }
}
