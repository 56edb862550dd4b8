package dev.mpp.testkit.scenario;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request a scenario makes, independent of the HTTP library.
 *
 * @param method the HTTP method
 * @param url the absolute URL
 * @param headers extra request headers
 * @param body the body bytes, or null for none
 * @param streamed whether the body is a one-shot stream (OkHttp: a one-shot {@code RequestBody};
 *     JDK: {@code BodyPublishers.ofInputStream}) rather than replayable bytes
 */
public record HttpCall(
    String method, URI url, Map<String, String> headers, byte[] body, boolean streamed) {

  /** Copies the headers. */
  public HttpCall {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    headers = Map.copyOf(headers);
  }

  /** A GET. */
  public static HttpCall get(URI url) {
    return new HttpCall("GET", url, Map.of(), null, false);
  }

  /** A request with a replayable UTF-8 body. */
  public static HttpCall withBody(String method, URI url, String body) {
    return new HttpCall(method, url, Map.of(), body.getBytes(StandardCharsets.UTF_8), false);
  }

  /** This call with one more header. */
  public HttpCall header(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new HttpCall(method, url, copy, body, streamed);
  }

  /** This call with its body sent as a one-shot stream. */
  public HttpCall asStream() {
    return new HttpCall(method, url, headers, body, true);
  }

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
    return "HttpCall[" + method + " " + url + "]";
  }
}
