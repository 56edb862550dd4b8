package dev.mpp.okhttp;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.EventStreamPayments;
import dev.mpp.client.MppException;
import dev.mpp.client.Payer;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentOptions;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.wire.Problem;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/**
 * Pays {@code 402 Payment Required} responses for an {@link okhttp3.OkHttpClient}. Add it with
 * {@code addInterceptor} (not as a network interceptor):
 *
 * <pre>{@code
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(MppInterceptor.builder(wallet).agent("bot-1").build())
 *     .build();
 * try (Response response = client.newCall(request).execute()) {
 *   MppInterceptor.paymentRecord(response).ifPresent(paid -> log(paid.reference()));
 * }
 * }</pre>
 *
 * <p>On a 402 with {@code Payment} challenges the interceptor lets its {@link PaymentFlow} choose,
 * reserve and sign, closes the 402, resends the request once with the credential and returns the
 * paid response; {@link #paymentRecord(Response)} gives the stored ledger record. Payment failures
 * are thrown as {@link MppIOException} carrying the typed {@link MppException} (or, with {@link
 * Builder#returnUnpaidResponses}, the 402 is returned as is). Works with {@code execute} and {@code
 * enqueue}; the flow runs on the call's thread.
 *
 * <p>Request bodies are snapshotted (up to {@link Builder#maxBufferedBody}) to check challenge
 * digests; larger bodies are still sent and paid for, but challenges bound to their digest are
 * refused. One-shot and duplex bodies cannot be replayed and are never paid for. Instances are
 * immutable and thread-safe.
 */
public final class MppInterceptor implements Interceptor {
  /** Default for {@link Builder#maxBufferedBody}: 4 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BODY = PaymentOptions.DEFAULT_MAX_BUFFERED_BODY;

  private final PaymentFlow flow;
  private final long maxBufferedBody;

  private MppInterceptor(PaymentFlow flow) {
    this.flow = Objects.requireNonNull(flow, "flow");
    this.maxBufferedBody = flow.options().maxBufferedBody();
  }

  /** An interceptor driving a fully configured flow (and its {@code maxBufferedBody}). */
  public static MppInterceptor create(PaymentFlow flow) {
    return new MppInterceptor(flow);
  }

  /** Starts configuring an interceptor that pays through {@code payer} (e.g. a wallet). */
  public static Builder builder(Payer payer) {
    return new Builder(payer);
  }

  /** The ledger record of the payment made for {@code response}; empty when nothing was paid. */
  public static Optional<PaymentRecord> paymentRecord(Response response) {
    return Optional.ofNullable(response.request().tag(Paid.class)).map(Paid::record);
  }

  /** The server's problem details when it rejected the credential (e.g. a second 402). */
  public static Optional<Problem> paymentProblem(Response response) {
    return Optional.ofNullable(response.request().tag(Paid.class)).map(Paid::problem);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    if (chain.connection() != null) {
      throw new IllegalStateException(
          "MppInterceptor must be added with addInterceptor(), not addNetworkInterceptor()");
    }
    Request request = chain.request();
    Snapshot body = snapshot(request.body());
    PaymentContext context =
        new PaymentContext(
            request.url().uri(),
            request.method(),
            flow.agent(),
            body.bytes,
            body.replayable,
            request.header("Idempotency-Key"));
    PaymentResult<Response> result;
    try {
      result = flow.execute(context, new OkHttpExchange(chain, request));
    } catch (MppException e) {
      throw new MppIOException(body.complete ? e : explainUncheckedDigest(e));
    }
    if (result.record() == null && result.problem() == null) {
      return result.response();
    }
    Response response = result.response();
    if (result.record() != null
        && response.body() != null
        && EventStreamPayments.watches(response.code(), response.header("Content-Type"))) {
      response =
          response
              .newBuilder()
              .body(new PayingEventStreamBody(response.body(), flow.eventStreamPayments(context)))
              .build();
    }
    Request tagged =
        response
            .request()
            .newBuilder()
            .tag(Paid.class, new Paid(result.record(), result.problem()))
            .build();
    return response.newBuilder().request(tagged).build();
  }

  private MppException explainUncheckedDigest(MppException e) {
    if (e.code() != ErrorCode.DIGEST_MISMATCH) {
      return e;
    }
    return new PaymentRefusedException(
        ErrorCode.DIGEST_MISMATCH,
        "request body exceeds maxBufferedBody ("
            + maxBufferedBody
            + " bytes), so it cannot be checked against the challenge digest",
        e);
  }

  private Snapshot snapshot(RequestBody body) throws IOException {
    if (body == null) {
      return new Snapshot(null, true, true);
    }
    if (body.isOneShot() || body.isDuplex()) {
      return new Snapshot(null, false, false);
    }
    if (body.contentLength() > maxBufferedBody) {
      return new Snapshot(null, true, false);
    }
    Buffer buffer = new Buffer();
    BufferedSink sink =
        Okio.buffer(
            new ForwardingSink(buffer) {
              @Override
              public void write(Buffer source, long byteCount) throws IOException {
                if (buffer.size() + byteCount > maxBufferedBody) {
                  throw new TooLarge();
                }
                super.write(source, byteCount);
              }
            });
    try {
      body.writeTo(sink);
      sink.flush();
    } catch (TooLarge e) {
      return new Snapshot(null, true, false);
    }
    return new Snapshot(buffer.readByteArray(), true, true);
  }

  /** What the flow may know of a request body: its bytes when captured, and if it can be resent. */
  private record Snapshot(byte[] bytes, boolean replayable, boolean complete) {}

  /** The payment outcome attached to a returned response as a request tag. */
  private record Paid(PaymentRecord record, Problem problem) {}

  /** Stops snapshotting a body that is larger than the limit. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("request body exceeds maxBufferedBody");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // control flow only
    }
  }

  /**
   * Configures a {@link MppInterceptor}: the payment options, their defaults and the once-only rule
   * are those of {@link PaymentOptions}.
   */
  public static final class Builder extends PaymentOptions.Configurer<Builder> {
    private final Payer payer;

    private Builder(Payer payer) {
      this.payer = Objects.requireNonNull(payer, "payer");
    }

    /** Builds the interceptor. */
    public MppInterceptor build() {
      return new MppInterceptor(PaymentFlow.create(payer, buildOptions()));
    }
  }
}
