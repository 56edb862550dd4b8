package dev.mpp.rail.tempo.session;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The few HTTP requests a session makes on its own, outside the request being paid for: a top-up or
 * a close (each a {@code POST} of a management credential to the channel's last URL), and a {@code
 * HEAD} to fetch a fresh challenge for them. The default uses {@link HttpClient}; supply another
 * implementation to route them through the application's client (proxies, TLS).
 */
public interface SessionTransport {

  /**
   * A response: status, headers (lower-case names), and the body when it is small.
   *
   * @param status the HTTP status
   * @param headers every header value by lower-case name
   * @param body the body (at most 64 KiB are read), possibly empty
   */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    /** Copies the components. */
    public Response {
      headers = Map.copyOf(headers);
      body = body.clone();
    }

    /** Every value of a header (case-insensitive), possibly empty. */
    public List<String> header(String name) {
      return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /**
   * Sends one request.
   *
   * @param method {@code HEAD}, {@code GET} or {@code POST}
   * @param headers extra headers, e.g. {@code Authorization}
   * @throws IOException on transport failure
   */
  Response send(String method, URI url, Map<String, String> headers) throws IOException;

  /** A transport over a new {@link HttpClient} with the given timeout. */
  static SessionTransport jdk(Duration timeout) {
    return jdk(HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
  }

  /** A transport over {@code client}. */
  static SessionTransport jdk(HttpClient client, Duration timeout) {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(timeout, "timeout");
    return (method, url, headers) -> {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(url)
              .timeout(timeout)
              .method(method, HttpRequest.BodyPublishers.noBody());
      headers.forEach(request::header);
      try {
        HttpResponse<byte[]> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = response.body() == null ? new byte[0] : response.body();
        if (body.length > 64 * 1024) {
          body = java.util.Arrays.copyOf(body, 64 * 1024);
        }
        Map<String, List<String>> lower = new java.util.HashMap<>();
        response
            .headers()
            .map()
            .forEach((name, values) -> lower.put(name.toLowerCase(java.util.Locale.ROOT), values));
        return new Response(response.statusCode(), lower, body);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    };
  }
}
