package dev.mpp.client;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What an HTTP adapter tells the flow about the request being paid for.
 *
 * @param url the request URL
 * @param httpMethod the HTTP method, upper case
 * @param agent the agent paying (the wallet applies this agent's policy)
 * @param body the exact request body bytes, or null when the request has no body or it cannot be
 *     read without consuming it
 * @param replayable whether the adapter can send the body a second time for the paid retry
 * @param idempotencyKey the request's {@code Idempotency-Key}, or null
 */
public record PaymentContext(
    URI url,
    String httpMethod,
    String agent,
    byte[] body,
    boolean replayable,
    String idempotencyKey) {

  /** Validates and normalizes the components. */
  public PaymentContext {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(agent, "agent");
    httpMethod = Objects.requireNonNull(httpMethod, "httpMethod").toUpperCase(Locale.ROOT);
    if (url.getScheme() == null || url.getHost() == null) {
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION, "request URL must be absolute with a host");
    }
  }

  /** A body-less request, e.g. a GET. */
  public static PaymentContext of(URI url, String httpMethod, String agent) {
    return new PaymentContext(url, httpMethod, agent, null, true, null);
  }

  /** The request body, when known. */
  public Optional<byte[]> bodyBytes() {
    return Optional.ofNullable(body);
  }

  /** The request's origin, {@code scheme://host:port} with the default port made explicit. */
  public String origin() {
    return Origins.of(url);
  }

  /** The URL's host, lower-cased, without IPv6 brackets: what origin rules match. */
  public String host() {
    return Origins.host(url);
  }

  /**
   * The URL without user info, query or fragment, which may carry secrets (API keys, tokens): what
   * ledgers record.
   */
  public String safeUrl() {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getScheme().toLowerCase(Locale.ROOT)
        + "://"
        + url.getHost().toLowerCase(Locale.ROOT)
        + (url.getPort() == -1 ? "" : ":" + url.getPort())
        + path;
  }

  /** Whether the method is idempotent per RFC 9110 §9.2.2, so a resend cannot double-act. */
  public boolean idempotent() {
    return switch (httpMethod) {
      case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE" -> true;
      default -> false;
    };
  }

  // byte[] makes the generated equals/toString useless; the body may also be large or private.
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "PaymentContext[" + httpMethod + " " + origin() + url.getRawPath() + "]";
  }
}
