package dev.mpp.jdk;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.wire.Problem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/** A response returned by {@link MppHttpClient}, carrying the payment outcome. */
final class MppResponse<T> implements HttpResponse<T> {
  private final HttpResponse<?> raw;
  private final T body;
  final PaymentRecord record;
  final Problem problem;

  MppResponse(HttpResponse<?> raw, T body, PaymentRecord record, Problem problem) {
    this.raw = raw;
    this.body = body;
    this.record = record;
    this.problem = problem;
  }

  @Override
  public int statusCode() {
    return raw.statusCode();
  }

  @Override
  public HttpRequest request() {
    return raw.request();
  }

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    // Intermediate responses never expose a body.
    return raw.previousResponse().map(previous -> new MppResponse<>(previous, null, null, null));
  }

  @Override
  public HttpHeaders headers() {
    return raw.headers();
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return raw.sslSession();
  }

  @Override
  public URI uri() {
    return raw.uri();
  }

  @Override
  public HttpClient.Version version() {
    return raw.version();
  }

  @Override
  public String toString() {
    return "(" + request().method() + " " + uri() + ") " + statusCode();
  }
}
