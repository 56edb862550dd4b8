package dev.mpp.interop;

import dev.mpp.client.MppException;
import dev.mpp.client.Payer;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.wire.Problem;
import dev.mpp.jdk.MppHttpClient;
import dev.mpp.okhttp.MppIOException;
import dev.mpp.okhttp.MppInterceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/** The two HTTP adapters, driven the way an application would drive them. */
enum Adapter {
  OKHTTP {
    @Override
    Agent agent(PaymentFlow flow) {
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(MppInterceptor.create(flow))
              .readTimeout(Duration.ofSeconds(60))
              .build();
      return url -> {
        try (Response response =
            client.newCall(new Request.Builder().url(url.toString()).build()).execute()) {
          ResponseBody body = response.body();
          return new Fetched(
              response.code(),
              body == null ? "" : body.string(),
              Optional.ofNullable(response.header("Payment-Receipt")),
              MppInterceptor.paymentRecord(response),
              MppInterceptor.paymentProblem(response));
        } catch (MppIOException e) {
          throw e.error();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
    }
  },
  JDK {
    @Override
    Agent agent(PaymentFlow flow) {
      HttpClient client =
          MppHttpClient.wrap(
              HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), flow);
      return url -> {
        try {
          HttpResponse<String> response =
              client.send(
                  HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).build(),
                  HttpResponse.BodyHandlers.ofString());
          return new Fetched(
              response.statusCode(),
              response.body(),
              response.headers().firstValue("Payment-Receipt"),
              MppHttpClient.paymentRecord(response),
              MppHttpClient.paymentProblem(response));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      };
    }
  };

  /** An HTTP client of this adapter paying through {@code wallet} as {@code agent}. */
  Agent agent(Payer wallet, String agent) {
    return agent(PaymentFlow.builder(wallet).agent(agent).build());
  }

  /** An HTTP client of this adapter driving {@code flow}. */
  abstract Agent agent(PaymentFlow flow);

  /** GETs a URL; payment refusals and failures surface as the typed {@link MppException}. */
  @FunctionalInterface
  interface Agent {
    Fetched get(URI url);
  }

  /** What the application got back. */
  record Fetched(
      int status,
      String body,
      Optional<String> receiptHeader,
      Optional<PaymentRecord> record,
      Optional<Problem> problem) {

    PaymentRecord paid() {
      return record.orElseThrow(() -> new AssertionError("nothing was paid: HTTP " + status));
    }
  }
}
