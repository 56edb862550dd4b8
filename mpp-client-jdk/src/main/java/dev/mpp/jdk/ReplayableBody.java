package dev.mpp.jdk;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A request body as the adapter sends it. A publisher is read once, up to a limit, so that every
 * attempt sends the same bytes (and challenge digests can be checked); a consumed stream is never
 * silently sent empty on the paid retry. A body over the limit streams through once and is not
 * replayable, so the flow refuses to pay for it.
 */
final class ReplayableBody {
  private static final byte[] EMPTY = new byte[0];

  /** A request without a body, or with an empty one, is sent as it is. */
  private static final ReplayableBody NONE = new ReplayableBody(EMPTY, null);

  private final byte[] bytes;
  private final BodyPublisher once;

  private ReplayableBody(byte[] bytes, BodyPublisher once) {
    this.bytes = bytes;
    this.once = once;
  }

  /** Reads {@code request}'s body, without blocking when the publisher does not. */
  static CompletableFuture<ReplayableBody> of(HttpRequest request, long maxBytes) {
    Optional<BodyPublisher> body = request.bodyPublisher();
    long length = body.map(BodyPublisher::contentLength).orElse(0L);
    if (length == 0) {
      return CompletableFuture.completedFuture(NONE);
    }
    if (length > maxBytes) {
      return CompletableFuture.completedFuture(new ReplayableBody(null, body.get()));
    }
    Collector collector = new Collector(maxBytes);
    body.get().subscribe(collector);
    return collector.result;
  }

  /** The exact bytes every attempt sends, or null when the body was too large to keep. */
  byte[] bytes() {
    return bytes;
  }

  /** Whether the body can be sent again for the paid retry. */
  boolean replayable() {
    return bytes != null;
  }

  /** The publisher for one attempt, or null to keep the request's own (absent or empty) body. */
  BodyPublisher publisher() {
    return this == NONE ? null : bytes == null ? once : BodyPublishers.ofByteArray(bytes);
  }

  /**
   * Collects a body one item at a time. Past the limit it stops asking for more and hands the
   * paused upstream to a publisher that first replays what was read: a stream is never read twice.
   */
  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    final CompletableFuture<ReplayableBody> result = new CompletableFuture<>();
    private final long maxBytes;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private Flow.Subscription upstream;
    private volatile Flow.Subscriber<? super ByteBuffer> downstream;
    private boolean completed;
    private Throwable failed;

    Collector(long maxBytes) {
      this.maxBytes = maxBytes;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      upstream = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(ByteBuffer item) {
      if (result.isDone()) {
        downstream.onNext(item); // only after downstream asked for it
        return;
      }
      byte[] chunk = new byte[item.remaining()];
      item.get(chunk);
      buffer.write(chunk, 0, chunk.length);
      if (buffer.size() <= maxBytes) {
        upstream.request(1);
        return;
      }
      BodyPublisher rest = new Rest();
      result.complete(
          new ReplayableBody(
              null, BodyPublishers.concat(BodyPublishers.ofByteArray(buffer.toByteArray()), rest)));
    }

    @Override
    public void onError(Throwable error) {
      if (!result.completeExceptionally(error)) {
        terminate(error);
      }
    }

    @Override
    public void onComplete() {
      if (!result.complete(new ReplayableBody(buffer.toByteArray(), null))) {
        terminate(null);
      }
    }

    // Terminal signals may arrive without demand, before the rest has a subscriber.
    private synchronized void terminate(Throwable error) {
      if (downstream == null) {
        completed = error == null;
        failed = error;
      } else if (error == null) {
        downstream.onComplete();
      } else {
        downstream.onError(error);
      }
    }

    /** The unread remainder of the body; it can be subscribed to once. */
    private final class Rest implements BodyPublisher {
      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        synchronized (Collector.this) {
          if (downstream != null) {
            subscriber.onSubscribe(new Upstream(null));
            subscriber.onError(new IllegalStateException("a streamed request body is sent once"));
            return;
          }
          downstream = subscriber;
          subscriber.onSubscribe(new Upstream(upstream));
          if (completed) {
            subscriber.onComplete();
          } else if (failed != null) {
            subscriber.onError(failed);
          }
        }
      }
    }

    /** Forwards demand to the paused upstream (none for a refused second subscriber). */
    private record Upstream(Flow.Subscription target) implements Flow.Subscription {
      @Override
      public void request(long n) {
        if (target != null) {
          target.request(n);
        }
      }

      @Override
      public void cancel() {
        if (target != null) {
          target.cancel();
        }
      }
    }
  }
}
