package dev.mpp.jdk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body as the adapter receives it: either the caller's own body type, or the raw bytes
 * of a response the adapter must look at first (a 402, or a redirect it may follow). Held bytes
 * reach the caller's {@link BodySubscriber} only if that response is returned.
 *
 * @param body the caller's body, when delivered
 * @param held the held bytes, or null when delivered
 * @param <T> the caller's body type
 */
record Payload<T>(T body, byte[] held) {
  /** 402 bodies carry small problem details; a larger one fails the exchange. */
  static final int MAX_HELD_BYTES = 1 << 20;

  /** Wraps the caller's handler: holds 402 bodies (and redirect bodies, when asked). */
  static <T> BodyHandler<Payload<T>> handler(BodyHandler<T> caller, boolean holdRedirects) {
    return info -> {
      int status = info.statusCode();
      if (status == 402 || (holdRedirects && isRedirect(status))) {
        return BodySubscribers.mapping(new Held(), bytes -> new Payload<T>(null, bytes));
      }
      return BodySubscribers.mapping(caller.apply(info), body -> new Payload<>(body, null));
    };
  }

  static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** The caller's body: as delivered, or by feeding the held bytes to a fresh subscriber. */
  CompletableFuture<T> deliver(BodyHandler<T> caller, HttpResponse<?> response) {
    if (held == null) {
      return CompletableFuture.completedFuture(body);
    }
    BodySubscriber<T> subscriber = caller.apply(new Info(response));
    subscriber.onSubscribe(new Replay(subscriber, held));
    return subscriber.getBody().toCompletableFuture();
  }

  /** Closes a delivered body the caller will never see (a stream, say). */
  void discard() {
    if (body instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Best effort: the connection is simply not reused.
      }
    }
  }

  private record Info(int statusCode, HttpHeaders headers, HttpClient.Version version)
      implements HttpResponse.ResponseInfo {
    Info(HttpResponse<?> response) {
      this(response.statusCode(), response.headers(), response.version());
    }
  }

  /** Collects up to {@link #MAX_HELD_BYTES}. */
  private static final class Held implements BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription subscription;

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer item : items) {
        if (result.isDone()) {
          return;
        }
        if (buffer.size() + item.remaining() > MAX_HELD_BYTES) {
          subscription.cancel();
          result.completeExceptionally(
              new IOException("response body exceeds " + MAX_HELD_BYTES + " bytes"));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        buffer.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable error) {
      result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      result.complete(buffer.toByteArray());
    }
  }

  /** Emits the held bytes once, on the first request. */
  private static final class Replay implements Flow.Subscription {
    private final BodySubscriber<?> subscriber;
    private final byte[] bytes;
    private final AtomicBoolean done = new AtomicBoolean();

    Replay(BodySubscriber<?> subscriber, byte[] bytes) {
      this.subscriber = subscriber;
      this.bytes = bytes;
    }

    @Override
    public void request(long n) {
      if (!done.compareAndSet(false, true)) {
        return;
      }
      if (n <= 0) {
        subscriber.onError(new IllegalArgumentException("non-positive request: " + n));
        return;
      }
      if (bytes.length > 0) {
        subscriber.onNext(List.of(ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
      }
      subscriber.onComplete();
    }

    @Override
    public void cancel() {
      done.set(true);
    }
  }
}
