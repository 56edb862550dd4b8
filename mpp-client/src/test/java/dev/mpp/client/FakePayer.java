package dev.mpp.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Receipt;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A {@link Payer} that "pays" by building a real credential with a dummy payload, and records every
 * offer list it saw, the thread it ran on, and each authorization's outcome transitions.
 */
public final class FakePayer implements Payer {
  private final AtomicInteger counter = new AtomicInteger();
  private final List<List<Challenge>> offersSeen = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final List<FakeAuthorization> authorizations = new CopyOnWriteArrayList<>();
  private volatile Function<List<Challenge>, Challenge> chooser = offers -> offers.get(0);
  private volatile RuntimeException failure;
  private volatile Function<String, String> headerRewrite = Function.identity();
  private volatile AcceptPayment accept =
      AcceptPayment.of(
          List.of(AcceptPayment.Range.of("tempo", "charge"), AcceptPayment.Range.of("*", "*")));
  private volatile RuntimeException acceptFailure;

  /** Picks which offer to pay (default: the first). */
  public FakePayer choosing(Function<List<Challenge>, Challenge> chooser) {
    this.chooser = chooser;
    return this;
  }

  /** Makes {@link #authorize} throw {@code failure} instead of paying. */
  public FakePayer failingWith(RuntimeException failure) {
    this.failure = failure;
    return this;
  }

  /** Rewrites the Authorization header value the payer hands out (to simulate a broken payer). */
  public FakePayer rewritingHeader(Function<String, String> rewrite) {
    this.headerRewrite = rewrite;
    return this;
  }

  /** Makes {@link #acceptPayment} throw. */
  public FakePayer failingAcceptPayment(RuntimeException failure) {
    this.acceptFailure = failure;
    return this;
  }

  /** How many times the flow asked for a payment. */
  public int authorizeCalls() {
    return offersSeen.size();
  }

  /** The offers of each call, in order. */
  public List<List<Challenge>> offersSeen() {
    return List.copyOf(offersSeen);
  }

  /** The threads {@link #authorize} ran on. */
  public List<Thread> threads() {
    return List.copyOf(threads);
  }

  /** The authorizations handed out, in order. */
  public List<FakeAuthorization> authorizations() {
    return List.copyOf(authorizations);
  }

  /** The single authorization handed out; fails the test when there were none or several. */
  public FakeAuthorization only() {
    if (authorizations.size() != 1) {
      throw new AssertionError("expected one authorization, got " + authorizations.size());
    }
    return authorizations.get(0);
  }

  @Override
  public AcceptPayment acceptPayment() {
    if (acceptFailure != null) {
      throw acceptFailure;
    }
    return accept;
  }

  @Override
  public PaymentAuthorization authorize(PaymentContext context, List<Challenge> offers) {
    offersSeen.add(List.copyOf(offers));
    threads.add(Thread.currentThread());
    if (failure != null) {
      throw failure;
    }
    Challenge chosen = chooser.apply(offers);
    int n = counter.incrementAndGet();
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("type", "hash");
    payload.put("hash", "0x" + String.format("%064x", n));
    String header = Credential.of(chosen, payload, "did:pkh:eip155:42431:0xabc").toHeaderValue();
    PaymentRecord record =
        new PaymentRecord(
            "pay-" + n,
            context.agent(),
            null,
            Instant.EPOCH,
            Instant.EPOCH,
            context.url().toString(),
            context.origin(),
            chosen.realm(),
            chosen.method(),
            chosen.intent(),
            chosen.id(),
            chosen.request().amount().orElse(BigInteger.ZERO),
            chosen.request().currency().orElse("usd"),
            null,
            6,
            0,
            0,
            PaymentState.HELD,
            null,
            null,
            "first offer",
            null);
    FakeAuthorization authorization =
        new FakeAuthorization(chosen, headerRewrite.apply(header), record);
    authorizations.add(authorization);
    return authorization;
  }

  /** An authorization that records how the flow reported its outcome. */
  public static final class FakeAuthorization implements PaymentAuthorization {
    private final Challenge challenge;
    private final String header;
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private volatile PaymentRecord record;
    private volatile Receipt receipt;

    FakeAuthorization(Challenge challenge, String header, PaymentRecord record) {
      this.challenge = challenge;
      this.header = header;
      this.record = record;
    }

    @Override
    public Challenge challenge() {
      return challenge;
    }

    @Override
    public String authorizationHeader() {
      return header;
    }

    @Override
    public PaymentRecord record() {
      return record;
    }

    @Override
    public synchronized PaymentRecord settle(int httpStatus, Receipt receipt, String note) {
      return move("settle " + httpStatus, PaymentState.PAID, receipt, note);
    }

    @Override
    public synchronized PaymentRecord release(String reason) {
      return move("release", PaymentState.RELEASED, null, reason);
    }

    @Override
    public synchronized PaymentRecord markUnknown(String reason) {
      return move("unknown", PaymentState.UNKNOWN, null, reason);
    }

    private PaymentRecord move(String what, PaymentState state, Receipt receipt, String detail) {
      transitions.add(what + (detail == null ? "" : ": " + detail));
      threads.add(Thread.currentThread());
      if (record.state() != PaymentState.HELD) {
        return record; // later calls leave the record unchanged, as the contract says
      }
      this.receipt = receipt;
      record =
          record.withState(
              state,
              receipt == null ? null : receipt.reference(),
              receipt == null ? null : receipt.raw(),
              detail,
              Instant.EPOCH);
      return record;
    }

    /** Every outcome report, e.g. {@code "release: credential rejected with 402 …"}. */
    public List<String> transitions() {
      return List.copyOf(transitions);
    }

    /** The threads the outcome reports ran on. */
    public List<Thread> threads() {
      return List.copyOf(threads);
    }

    /** The receipt passed to {@link #settle}, if any. */
    public Receipt receipt() {
      return receipt;
    }

    @Override
    public String toString() {
      return "FakeAuthorization[" + challenge.id() + ", " + record.state() + "]";
    }
  }
}
