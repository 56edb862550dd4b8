package dev.mpp.testkit.session;

import dev.mpp.client.Exchange;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * GETs through a {@link PaymentFlow} with a bare {@link HttpClient}: the smallest possible adapter,
 * for child processes and benchmarks that must not depend on an adapter module.
 */
public final class FlowGet {
  private final PaymentFlow flow;
  private final HttpClient http;

  /** A client paying through {@code flow}. */
  public FlowGet(PaymentFlow flow) {
    this.flow = flow;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** GETs {@code url}, paying when asked; returns the final response and its payment. */
  public PaymentResult<HttpResponse<byte[]>> get(URI url) throws IOException {
    PaymentContext context = PaymentContext.of(url, "GET", flow.agent());
    return flow.execute(context, exchange(url));
  }

  /** GETs {@code url} without paying (the unpaid baseline). */
  public HttpResponse<byte[]> getUnpaid(URI url) throws IOException {
    return exchange(url).send(Map.of());
  }

  private Exchange<HttpResponse<byte[]>> exchange(URI url) {
    return new Exchange<>() {
      @Override
      public HttpResponse<byte[]> send(Map<String, String> headers) throws IOException {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).GET();
        headers.forEach(request::header);
        try {
          return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }

      @Override
      public int status(HttpResponse<byte[]> response) {
        return response.statusCode();
      }

      @Override
      public List<String> headers(HttpResponse<byte[]> response, String name) {
        return response.headers().allValues(name);
      }

      @Override
      public URI url(HttpResponse<byte[]> response) {
        return response.uri();
      }

      @Override
      public byte[] peekBody(HttpResponse<byte[]> response, int maxBytes) {
        byte[] body = response.body();
        return body.length <= maxBytes ? body : java.util.Arrays.copyOf(body, maxBytes);
      }

      @Override
      public void discard(HttpResponse<byte[]> response) {}
    };
  }
}
