package dev.mpp.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A loopback HTTP proxy in front of the reference server that can tamper with the credential of a
 * paid retry before forwarding it: the client pays as usual, and the server sees what an attacker
 * (or a confused intermediary) would send. Requests without {@code Authorization} pass unchanged.
 */
final class TamperingProxy implements AutoCloseable {
  private static final Set<String> HOP_BY_HOP =
      Set.of("connection", "content-length", "keep-alive", "transfer-encoding", "upgrade");

  /** Rewrites an {@code Authorization: Payment …} value. */
  @FunctionalInterface
  interface Tamper {
    Tamper NONE = authorization -> authorization;

    String apply(String authorization) throws InterruptedException;
  }

  private final MockWebServer server = new MockWebServer();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI target;
  private volatile Tamper tamper = Tamper.NONE;

  /** Every {@code Authorization} value the client sent, before tampering. */
  final List<String> sent = new CopyOnWriteArrayList<>();

  /** Every {@code Authorization} value forwarded to the server, after tampering. */
  final List<String> forwarded = new CopyOnWriteArrayList<>();

  TamperingProxy(URI target) {
    this.target = target;
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            return forward(request);
          }
        });
    try {
      server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Applies {@code tamper} to the following paid retries. */
  void tamper(Tamper tamper) {
    this.tamper = tamper;
  }

  /** The proxy's URL for {@code path}. */
  URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getPort() + path);
  }

  private MockResponse forward(RecordedRequest request) throws InterruptedException {
    HttpRequest.Builder out =
        HttpRequest.newBuilder(target.resolve(request.getTarget()))
            .timeout(Duration.ofSeconds(60))
            .method(request.getMethod(), HttpRequest.BodyPublishers.noBody());
    String authorization = request.getHeaders().get("Authorization");
    if (authorization != null) {
      sent.add(authorization);
      String tampered = tamper.apply(authorization);
      forwarded.add(tampered);
      out.header("Authorization", tampered);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return new MockResponse.Builder().code(502).body("proxy: " + e).build();
    }
    Headers.Builder headers = new Headers.Builder();
    for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
      if (HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))
          || header.getKey().startsWith(":")) {
        continue;
      }
      header.getValue().forEach(value -> headers.add(header.getKey(), value));
    }
    return new MockResponse.Builder()
        .code(response.statusCode())
        .headers(headers.build())
        .body(new okio.Buffer().write(response.body()))
        .build();
  }

  @Override
  public void close() {
    server.close();
  }
}
