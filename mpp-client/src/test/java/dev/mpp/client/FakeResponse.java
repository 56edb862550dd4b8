package dev.mpp.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A scripted HTTP response for {@link FakeExchange}. Mutable builder-style, test use only. */
public final class FakeResponse {
  final int status;
  private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  byte[] body = new byte[0];
  URI url;
  boolean urlUnknown;
  volatile boolean discarded;

  private FakeResponse(int status) {
    this.status = status;
  }

  /** A response with this status and no headers or body. */
  public static FakeResponse status(int status) {
    return new FakeResponse(status);
  }

  /** Adds one header field (repeatable: each call is one field line). */
  public FakeResponse header(String name, String value) {
    headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    return this;
  }

  /** Sets the body (UTF-8). */
  public FakeResponse body(String text) {
    this.body = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** Overrides the URL the response claims to come from (default: the exchange's URL). */
  public FakeResponse url(URI url) {
    this.url = url;
    return this;
  }

  /** Makes the exchange report no URL for this response (a broken adapter). */
  public FakeResponse urlUnknown() {
    this.urlUnknown = true;
    return this;
  }

  List<String> headers(String name) {
    return List.copyOf(headers.getOrDefault(name, List.of()));
  }

  /** Whether the flow released this response instead of handing it to the caller. */
  public boolean discarded() {
    return discarded;
  }

  @Override
  public String toString() {
    return "FakeResponse[" + status + "]";
  }
}
