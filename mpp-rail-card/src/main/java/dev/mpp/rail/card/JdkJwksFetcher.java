package dev.mpp.rail.card;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link JwksFetcher} on {@code java.net.http}, reading no more than the size limit. */
final class JdkJwksFetcher implements JwksFetcher {
  private final HttpClient client;
  private final Duration timeout;

  JdkJwksFetcher(HttpClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  @Override
  public Response fetch(URI uri) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Accept", "application/jwk-set+json, application/json")
            .GET()
            .build();
    HttpResponse<InputStream> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching the JWK Set");
    }
    try (InputStream body = response.body()) {
      // One byte over the limit is enough to tell the caller the set is too large.
      byte[] bytes = body.readNBytes(MAX_BYTES + 1);
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Cache-Control").orElse(null),
          bytes);
    }
  }

  @Override
  public String toString() {
    return "JwksFetcher[java.net.http, timeout=" + timeout + "]";
  }
}
