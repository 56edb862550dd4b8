package dev.mpp.jdk;

import dev.mpp.client.EventStreamPayments;
import dev.mpp.client.MppException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The caller's subscriber for a paid {@code text/event-stream} body, with {@link
 * EventStreamPayments} looking at every buffer first: a payment event (a session's {@code
 * payment-need-voucher}) is paid before the bytes reach the caller. That happens on the HTTP
 * client's delivery thread, which the server's paused stream leaves idle meanwhile. A demand that
 * cannot be paid cancels the body and fails it with the {@link MppException}.
 */
final class PayingSubscriber<T> implements BodySubscriber<T> {
  private final BodySubscriber<T> downstream;
  private final EventStreamPayments payments;
  private Flow.Subscription subscription;
  private boolean failed;

  PayingSubscriber(BodySubscriber<T> downstream, EventStreamPayments payments) {
    this.downstream = downstream;
    this.payments = payments;
  }

  @Override
  public CompletionStage<T> getBody() {
    return downstream.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    downstream.onSubscribe(subscription);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (failed) {
      return;
    }
    try {
      for (ByteBuffer item : items) {
        payments.accept(item);
      }
    } catch (MppException e) {
      failed = true;
      subscription.cancel();
      downstream.onError(e);
      return;
    }
    downstream.onNext(items);
  }

  @Override
  public void onError(Throwable error) {
    if (!failed) {
      downstream.onError(error);
    }
  }

  @Override
  public void onComplete() {
    if (!failed) {
      downstream.onComplete();
    }
  }
}
