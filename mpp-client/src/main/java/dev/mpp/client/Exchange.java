package dev.mpp.client;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * How the flow drives one HTTP library: send the adapter's request (with extra headers) and look at
 * a response. HTTP adapters implement this by translating their library's types; all payment rules
 * stay in {@link PaymentFlow}.
 *
 * @param <R> the library's response type
 */
public interface Exchange<R> {

  /**
   * Sends the request being paid for, adding {@code headers} (replacing same-named ones).
   *
   * @throws IOException when the exchange failed in transport
   */
  R send(Map<String, String> headers) throws IOException;

  /**
   * Sends asynchronously; the default runs {@link #send} on the calling thread. Adapters of
   * asynchronous clients override this and must not block.
   */
  default CompletableFuture<R> sendAsync(Map<String, String> headers) {
    try {
      return CompletableFuture.completedFuture(send(headers));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The response's status code. */
  int status(R response);

  /** All values of a response header (case-insensitive name), in order; empty when absent. */
  List<String> headers(R response, String name);

  /** The URL that produced the response (after any redirects the library followed). */
  URI url(R response);

  /**
   * Up to {@code maxBytes} of the response body without making it unreadable for the caller (peek,
   * or a buffered copy). Only called for 402 responses.
   *
   * @throws IOException when the body cannot be read
   */
  byte[] peekBody(R response, int maxBytes) throws IOException;

  /** Releases a response the caller will not see (closes its body). Must not throw. */
  void discard(R response);
}
