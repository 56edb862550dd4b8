package dev.mpp.rail.card;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Fetches a merchant's JWK Set ({@code methodDetails.jwksUri}). The card rail checks the address
 * first (HTTPS, same origin as the paid request) and applies the size limit and {@code
 * Cache-Control} itself; an implementation only performs one GET without following redirects.
 *
 * <p>The default ({@link #jdk(Duration)}) uses {@code java.net.http}. Apps that pay through OkHttp
 * can wrap their own client (its proxy, TLS and timeout settings then apply to key fetches too):
 *
 * <pre>{@code
 * JwksFetcher okhttp = uri -> {
 *   try (Response r = client.newCall(new Request.Builder().url(uri.toString()).build()).execute()) {
 *     return new JwksFetcher.Response(r.code(), r.header("Cache-Control"),
 *         r.body().source().readByteArray(JwksFetcher.MAX_BYTES + 1));
 *   }
 * };
 * }</pre>
 */
@FunctionalInterface
public interface JwksFetcher {
  /** The largest JWK Set the rail accepts, in bytes. */
  int MAX_BYTES = 64 * 1024;

  /**
   * GETs {@code uri}.
   *
   * @return the status, {@code Cache-Control} and at most {@link #MAX_BYTES} + 1 body bytes (more
   *     is refused)
   * @throws IOException when the set cannot be fetched
   */
  Response fetch(URI uri) throws IOException;

  /**
   * A fetched JWK Set.
   *
   * @param status the HTTP status
   * @param cacheControl the {@code Cache-Control} header, or null
   * @param body the body bytes (at most {@link #MAX_BYTES} + 1)
   */
  record Response(int status, String cacheControl, byte[] body) {
    /** Validates the components. */
    public Response {
      Objects.requireNonNull(body, "body");
    }
  }

  /**
   * A fetcher on a new {@code java.net.http} client that never follows redirects.
   *
   * @param timeout connect and response timeout
   */
  static JwksFetcher jdk(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new JdkJwksFetcher(client, timeout);
  }
}
