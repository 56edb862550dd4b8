package dev.mpp.jdk;

import dev.mpp.client.EventStreamPayments;
import dev.mpp.client.Exchange;
import dev.mpp.client.PaymentResult;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * One logical request through a {@link HttpClient}, as the payment flow sees it.
 *
 * <p>The JDK client forwards every header, {@code Authorization} included, to whatever origin a
 * redirect names. So a paid attempt goes through a client that does not follow redirects, and this
 * exchange follows them itself: with the credential within the issuing origin, without it beyond.
 */
final class JdkExchange<T> implements Exchange<HttpResponse<Payload<T>>> {
  private static final String CREDENTIAL = "Authorization";
  private static final String RECEIPT = "Payment-Receipt";
  private static final int MAX_REDIRECTS = 5;

  private final HttpClient client;
  private final HttpClient paidClient;
  private final HttpRequest request;
  private final ReplayableBody body;
  private final BodyHandler<T> handler;
  private final BodyHandler<T> paidHandler;
  private final PushPromiseHandler<Payload<T>> push;
  private volatile List<String> redirectReceipts = List.of();

  JdkExchange(
      HttpClient client,
      HttpClient paidClient,
      HttpRequest request,
      ReplayableBody body,
      BodyHandler<T> handler,
      PushPromiseHandler<T> push,
      Supplier<EventStreamPayments> streamPayments) {
    this.client = client;
    this.paidClient = paidClient;
    this.request = request;
    this.body = body;
    this.handler = handler;
    // Only a response to a credential, from its own origin, may ask for more payment in-stream.
    this.paidHandler =
        info -> {
          BodySubscriber<T> subscriber = handler.apply(info);
          boolean watched =
              EventStreamPayments.watches(
                  info.statusCode(), info.headers().firstValue("Content-Type").orElse(null));
          return watched ? new PayingSubscriber<>(subscriber, streamPayments.get()) : subscriber;
        };
    this.push = push == null ? null : adapt(push);
  }

  // Not sendAsync().get(): the JDK's own send() skips the thread hand-offs that sendAsync() makes
  // for its callers, about 0.2 ms per round trip.
  @Override
  public HttpResponse<Payload<T>> send(Map<String, String> headers) throws IOException {
    HttpRequest attempt = attempt(headers);
    if (!headers.containsKey(CREDENTIAL)) {
      return await(() -> client.send(attempt, Payload.handler(handler, false)));
    }
    boolean manual = paidClient != client;
    HttpResponse<Payload<T>> response =
        await(() -> paidClient.send(attempt, Payload.handler(paidHandler, manual)));
    for (int hop = 0; hop < MAX_REDIRECTS; hop++) {
      HttpRequest next = followUp(response);
      if (next == null) {
        return response;
      }
      keepReceipts(response);
      if (!origin(next.uri()).equals(origin(attempt.uri()))) {
        HttpRequest stripped =
            HttpRequest.newBuilder(next, (name, v) -> !isCredential(name)).build();
        return await(() -> client.send(stripped, Payload.handler(handler, false)));
      }
      response = await(() -> paidClient.send(next, Payload.handler(paidHandler, true)));
    }
    return response;
  }

  @Override
  public CompletableFuture<HttpResponse<Payload<T>>> sendAsync(Map<String, String> headers) {
    HttpRequest attempt = attempt(headers);
    if (!headers.containsKey(CREDENTIAL)) {
      return client.sendAsync(attempt, Payload.handler(handler, false), push);
    }
    boolean manual = paidClient != client;
    return paidClient
        .sendAsync(attempt, Payload.handler(paidHandler, manual), push)
        .thenCompose(response -> followAsync(attempt.uri(), response, 0));
  }

  private CompletableFuture<HttpResponse<Payload<T>>> followAsync(
      URI issuer, HttpResponse<Payload<T>> response, int hop) {
    HttpRequest next = hop < MAX_REDIRECTS ? followUp(response) : null;
    if (next == null) {
      return CompletableFuture.completedFuture(response);
    }
    keepReceipts(response);
    if (!origin(next.uri()).equals(origin(issuer))) {
      HttpRequest stripped = HttpRequest.newBuilder(next, (name, v) -> !isCredential(name)).build();
      return client.sendAsync(stripped, Payload.handler(handler, false), push);
    }
    return paidClient
        .sendAsync(next, Payload.handler(paidHandler, true), push)
        .thenCompose(followed -> followAsync(issuer, followed, hop + 1));
  }

  private void keepReceipts(HttpResponse<Payload<T>> redirect) {
    List<String> receipts = redirect.headers().allValues(RECEIPT);
    if (!receipts.isEmpty()) {
      redirectReceipts = receipts;
    }
    redirect.body().discard();
  }

  /** The caller's response: its own body type, and the payment outcome. */
  CompletableFuture<HttpResponse<T>> complete(PaymentResult<HttpResponse<Payload<T>>> result) {
    HttpResponse<Payload<T>> raw = result.response();
    return raw.body()
        .deliver(handler, raw)
        .thenApply(
            delivered -> new MppResponse<>(raw, delivered, result.record(), result.problem()));
  }

  private HttpRequest attempt(Map<String, String> headers) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(request, (name, value) -> true);
    BodyPublisher publisher = body.publisher();
    if (publisher != null) {
      builder.method(request.method(), publisher);
    }
    headers.forEach(builder::setHeader);
    return builder.build();
  }

  /** The request a redirect of the paid attempt leads to, as the caller's client would follow. */
  private HttpRequest followUp(HttpResponse<Payload<T>> response) {
    int status = response.statusCode();
    Optional<String> location = response.headers().firstValue("Location");
    if (paidClient == client || !Payload.isRedirect(status) || location.isEmpty()) {
      return null;
    }
    HttpRequest sent = response.request();
    URI target;
    try {
      target = sent.uri().resolve(location.get());
    } catch (IllegalArgumentException e) {
      return null;
    }
    String scheme = String.valueOf(target.getScheme()).toLowerCase(Locale.ROOT);
    boolean downgrade = sent.uri().getScheme().equalsIgnoreCase("https") && scheme.equals("http");
    if (!(scheme.equals("http") || scheme.equals("https"))
        || target.getHost() == null
        || (downgrade && client.followRedirects() == HttpClient.Redirect.NORMAL)) {
      return null;
    }
    HttpRequest.Builder next = HttpRequest.newBuilder(sent, (name, value) -> true).uri(target);
    if (status == 303 || (status != 307 && status != 308 && sent.method().equals("POST"))) {
      next.GET();
    }
    return next.build();
  }

  private static boolean isCredential(String header) {
    return header.equalsIgnoreCase(CREDENTIAL);
  }

  private static String origin(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
  }

  private PushPromiseHandler<Payload<T>> adapt(PushPromiseHandler<T> caller) {
    return (initiating, pushed, acceptor) ->
        caller.applyPushPromise(
            initiating,
            pushed,
            callerHandler ->
                acceptor
                    .apply(Payload.handler(callerHandler, false))
                    .thenCompose(
                        raw ->
                            raw.body()
                                .deliver(callerHandler, raw)
                                .thenApply(b -> new MppResponse<>(raw, b, null, null))));
  }

  @Override
  public int status(HttpResponse<Payload<T>> response) {
    return response.statusCode();
  }

  /**
   * A receipt may come with a redirect the paid attempt followed (pay, then 302 to the content):
   * when the final response has none, the redirects' are the paid exchange's.
   */
  @Override
  public List<String> headers(HttpResponse<Payload<T>> response, String name) {
    List<String> values = response.headers().allValues(name);
    return values.isEmpty() && name.equalsIgnoreCase(RECEIPT) ? redirectReceipts : values;
  }

  @Override
  public URI url(HttpResponse<Payload<T>> response) {
    return response.uri();
  }

  @Override
  public byte[] peekBody(HttpResponse<Payload<T>> response, int maxBytes) {
    byte[] held = response.body().held();
    return held == null ? new byte[0] : Arrays.copyOf(held, Math.min(held.length, maxBytes));
  }

  @Override
  public void discard(HttpResponse<Payload<T>> response) {
    response.body().discard();
  }

  private interface Send<R> {
    R call() throws IOException, InterruptedException;
  }

  private static <R> R await(Send<R> send) throws IOException {
    try {
      return send.call();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted while sending");
      interrupted.initCause(e);
      throw interrupted;
    }
  }
}
