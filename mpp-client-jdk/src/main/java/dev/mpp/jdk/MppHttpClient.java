package dev.mpp.jdk;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.Payer;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentOptions;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.wire.Problem;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} that pays {@code 402 Payment Required} responses. It decorates the caller's
 * own client, so it drops into code that takes a {@code HttpClient}; everything but {@code send}
 * and {@code sendAsync} is delegated.
 *
 * <pre>{@code
 * HttpClient client = MppHttpClient.wrap(HttpClient.newHttpClient(), wallet);
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString());
 * MppHttpClient.paymentRecord(response).ifPresent(paid -> log(paid.reference()));
 * }</pre>
 *
 * <p>Works with any {@link BodyHandler}: 402 bodies are held for the flow and handed to the
 * caller's handler only if the 402 is returned. Request bodies are read once (up to {@link
 * Builder#maxBufferedBody}) and the same bytes are sent on every attempt; larger bodies stream
 * once, and a 402 for them is refused as not replayable. {@code sendAsync} signs and touches the
 * ledger only on the flow's executor, never on the caller's thread or the client's executor.
 * Payment failures are thrown as the typed (unchecked) {@link dev.mpp.client.MppException}; {@code
 * sendAsync} completes exceptionally with it.
 *
 * <p>The JDK client forwards {@code Authorization} to any origin a redirect names, so paid attempts
 * go through a sibling client with the same settings that does not follow redirects, and this
 * client follows them itself, keeping the credential within the issuing origin. Wrap a client built
 * with {@code Redirect.NEVER} to avoid the sibling.
 */
public final class MppHttpClient extends HttpClient {
  /** Default for {@link Builder#maxBufferedBody}: 4 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BODY = PaymentOptions.DEFAULT_MAX_BUFFERED_BODY;

  private final HttpClient delegate;
  private final PaymentFlow flow;
  private final long maxBufferedBody;
  private volatile HttpClient paidClient;

  private MppHttpClient(HttpClient delegate, PaymentFlow flow) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.flow = Objects.requireNonNull(flow, "flow");
    this.maxBufferedBody = flow.options().maxBufferedBody();
    if (delegate.followRedirects() != Redirect.NEVER
        && !delegate.getClass().getName().startsWith("jdk.internal.net.http.")) {
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION,
          "a client that is not the JDK's own must be built with Redirect.NEVER to be wrapped");
    }
  }

  /** Wraps {@code delegate}, paying through {@code payer} with default settings. */
  public static MppHttpClient wrap(HttpClient delegate, Payer payer) {
    return builder(delegate, payer).build();
  }

  /** Wraps {@code delegate}, driving a fully configured flow (and its {@code maxBufferedBody}). */
  public static MppHttpClient wrap(HttpClient delegate, PaymentFlow flow) {
    return new MppHttpClient(delegate, flow);
  }

  /** Starts configuring a client that wraps {@code delegate} and pays through {@code payer}. */
  public static Builder builder(HttpClient delegate, Payer payer) {
    return new Builder(delegate, payer);
  }

  /** The ledger record of the payment made for {@code response}; empty when nothing was paid. */
  public static Optional<PaymentRecord> paymentRecord(HttpResponse<?> response) {
    return response instanceof MppResponse<?> paid
        ? Optional.ofNullable(paid.record)
        : Optional.empty();
  }

  /** The server's problem details when it rejected the credential (e.g. a second 402). */
  public static Optional<Problem> paymentProblem(HttpResponse<?> response) {
    return response instanceof MppResponse<?> paid
        ? Optional.ofNullable(paid.problem)
        : Optional.empty();
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    Objects.requireNonNull(handler, "handler");
    ReplayableBody body = await(ReplayableBody.of(request, maxBufferedBody));
    PaymentContext context = context(request, body);
    JdkExchange<T> exchange = exchange(request, body, handler, null, context);
    PaymentResult<HttpResponse<Payload<T>>> result;
    try {
      result = flow.execute(context, exchange);
    } catch (InterruptedIOException e) {
      if (Thread.interrupted()) {
        throw (InterruptedException) new InterruptedException(e.getMessage()).initCause(e);
      }
      throw e;
    }
    return await(exchange.complete(result));
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(
      HttpRequest request, BodyHandler<T> handler, PushPromiseHandler<T> pushPromiseHandler) {
    Objects.requireNonNull(handler, "handler");
    // Reading a body may block (a stream, a file), so it happens on the flow's executor.
    CompletableFuture<ReplayableBody> read =
        request.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(0L) == 0
            ? ReplayableBody.of(request, maxBufferedBody)
            : CompletableFuture.supplyAsync(
                    () -> ReplayableBody.of(request, maxBufferedBody), flow.executor())
                .thenCompose(body -> body);
    return read.thenCompose(
        body -> {
          PaymentContext context = context(request, body);
          JdkExchange<T> exchange = exchange(request, body, handler, pushPromiseHandler, context);
          return flow.executeAsync(context, exchange).thenCompose(exchange::complete);
        });
  }

  private <T> JdkExchange<T> exchange(
      HttpRequest request,
      ReplayableBody body,
      BodyHandler<T> handler,
      PushPromiseHandler<T> push,
      PaymentContext context) {
    return new JdkExchange<>(
        delegate,
        paidClient(),
        request,
        body,
        handler,
        push,
        () -> flow.eventStreamPayments(context));
  }

  private PaymentContext context(HttpRequest request, ReplayableBody body) {
    return new PaymentContext(
        request.uri(),
        request.method(),
        flow.agent(),
        body.bytes(),
        body.replayable(),
        request.headers().firstValue("Idempotency-Key").orElse(null));
  }

  /**
   * The delegate when it never follows redirects, else a sibling with its settings that does not.
   */
  private HttpClient paidClient() {
    if (delegate.followRedirects() == Redirect.NEVER) {
      return delegate;
    }
    HttpClient sibling = paidClient;
    if (sibling == null) {
      synchronized (this) {
        sibling = paidClient;
        if (sibling == null) {
          HttpClient.Builder builder =
              HttpClient.newBuilder()
                  .followRedirects(Redirect.NEVER)
                  .version(delegate.version())
                  .sslContext(delegate.sslContext())
                  .sslParameters(delegate.sslParameters());
          delegate.cookieHandler().ifPresent(builder::cookieHandler);
          delegate.connectTimeout().ifPresent(builder::connectTimeout);
          delegate.proxy().ifPresent(builder::proxy);
          delegate.authenticator().ifPresent(builder::authenticator);
          delegate.executor().ifPresent(builder::executor);
          paidClient = sibling = builder.build();
        }
      }
    }
    return sibling;
  }

  private static <V> V await(CompletableFuture<V> future) throws IOException, InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IOException(cause);
    }
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return delegate.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return delegate.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return delegate.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return delegate.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return delegate.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return delegate.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return delegate.authenticator();
  }

  @Override
  public Version version() {
    return delegate.version();
  }

  @Override
  public Optional<Executor> executor() {
    return delegate.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return delegate.newWebSocketBuilder();
  }

  /**
   * Configures a {@link MppHttpClient}: the payment options, their defaults and the once-only rule
   * are those of {@link PaymentOptions}.
   */
  public static final class Builder extends PaymentOptions.Configurer<Builder> {
    private final HttpClient delegate;
    private final Payer payer;

    private Builder(HttpClient delegate, Payer payer) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
      this.payer = Objects.requireNonNull(payer, "payer");
    }

    /** Builds the client. */
    public MppHttpClient build() {
      return new MppHttpClient(delegate, PaymentFlow.create(payer, buildOptions()));
    }
  }
}
