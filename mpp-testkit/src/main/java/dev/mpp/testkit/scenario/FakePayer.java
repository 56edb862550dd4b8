package dev.mpp.testkit.scenario;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.Payer;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Receipt;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A budget-counting {@link Payer} for adapter tests, independent of the wallet. It pays {@code
 * test}/{@code charge} challenges in {@code usd} cents with the payload {@code {"mac": hex
 * HMAC-SHA256(secret, challenge id)}} (the wallet's {@code HmacTestRail} convention), picks the
 * cheapest payable offer, and reserves against one budget atomically: a concurrent burst can never
 * spend more than the budget. Released payments give their amount back; unknown ones keep it.
 */
public final class FakePayer implements Payer {
  /** The HMAC secret the fake payer signs with and {@link Paywall} verifies. */
  public static final String SECRET = "fake-payer-secret-7f3a9c";

  private static final long MICROS_PER_CENT = 10_000;

  private final long budgetCents;
  private final AtomicLong spentCents = new AtomicLong();
  private final AtomicInteger authorizeCalls = new AtomicInteger();
  private final AtomicInteger signed = new AtomicInteger();
  private final AtomicLong sequence = new AtomicLong();
  private final Map<String, PaymentRecord> records = new ConcurrentHashMap<>();
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final List<String> payingThreads = new CopyOnWriteArrayList<>();

  private FakePayer(long budgetCents) {
    this.budgetCents = budgetCents;
  }

  /** A payer that may spend up to {@code budgetCents} in total. */
  public static FakePayer withBudgetCents(long budgetCents) {
    return new FakePayer(budgetCents);
  }

  /** A payer with a budget no test reaches. */
  public static FakePayer unlimited() {
    return new FakePayer(Long.MAX_VALUE / 2);
  }

  /** The MAC a valid credential for {@code challengeId} carries. */
  public static String mac(String challengeId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(challengeId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public AcceptPayment acceptPayment() {
    return AcceptPayment.of(List.of(AcceptPayment.Range.of("test", "charge")));
  }

  @Override
  public PaymentAuthorization authorize(PaymentContext context, List<Challenge> offers) {
    authorizeCalls.incrementAndGet();
    payingThreads.add(Thread.currentThread().getName());
    List<String> reasons = new ArrayList<>();
    List<Challenge> payable = new ArrayList<>();
    for (Challenge offer : offers) {
      String why = unpayable(offer);
      if (why == null) {
        payable.add(offer);
      } else {
        reasons.add(offer.id() + ": " + why);
      }
    }
    if (payable.isEmpty()) {
      throw new PaymentRefusedException(
          ErrorCode.NO_PAYABLE_OFFER, "no payable offer (" + String.join("; ", reasons) + ")");
    }
    Challenge chosen =
        payable.stream().min(Comparator.comparing(c -> c.request().amount().get())).get();
    long cents = chosen.request().amount().get().longValueExact();
    reserve(context, cents);
    signed.incrementAndGet();
    ObjectNode payload = JsonNodeFactory.instance.objectNode().put("mac", mac(chosen.id()));
    String header = Credential.of(chosen, payload, null).toHeaderValue();
    Instant now = Instant.now();
    PaymentRecord held =
        new PaymentRecord(
            "fake-" + sequence.incrementAndGet(),
            context.agent(),
            null,
            now,
            now,
            context.url().toString(),
            context.origin(),
            chosen.realm(),
            chosen.method(),
            chosen.intent(),
            chosen.id(),
            BigInteger.valueOf(cents),
            "usd",
            null,
            2,
            cents * MICROS_PER_CENT,
            0,
            PaymentState.HELD,
            null,
            null,
            "cheapest of " + payable.size() + " payable offer(s)" + rejected(reasons),
            null);
    records.put(held.id(), held);
    order.add(held.id());
    return new Authorization(chosen, header, held);
  }

  private static String rejected(List<String> reasons) {
    return reasons.isEmpty() ? "" : "; skipped " + String.join("; ", reasons);
  }

  private static String unpayable(Challenge offer) {
    if (!offer.method().equals("test") || !offer.intent().equals("charge")) {
      return "no rail for " + offer.method() + "/" + offer.intent();
    }
    if (!"usd".equals(offer.request().currency().orElse(null))) {
      return "no price for currency " + offer.request().currency().orElse("(none)");
    }
    if (offer.request().amount().isEmpty() || offer.request().amount().get().bitLength() > 40) {
      return "amount missing or out of range";
    }
    return null;
  }

  private void reserve(PaymentContext context, long cents) {
    while (true) {
      long spent = spentCents.get();
      if (spent + cents > budgetCents) {
        throw new PaymentDeniedException(
            ErrorCode.POLICY_DENIED,
            "agent:" + context.agent() + "/budget",
            BigDecimal.valueOf(cents, 2),
            BigDecimal.valueOf(budgetCents, 2),
            BigDecimal.valueOf(budgetCents - spent, 2),
            "usd",
            "budget of " + BigDecimal.valueOf(budgetCents, 2) + " usd would be exceeded");
      }
      if (spentCents.compareAndSet(spent, spent + cents)) {
        return;
      }
    }
  }

  /** How often the flow asked for a payment. */
  public int authorizeCalls() {
    return authorizeCalls.get();
  }

  /** How many credentials were signed. */
  public int signed() {
    return signed.get();
  }

  /** What is reserved, paid or unknown (released amounts are given back), in cents. */
  public long spentCents() {
    return spentCents.get();
  }

  /** Every record, oldest first, in its current state. */
  public List<PaymentRecord> records() {
    return order.stream().map(records::get).toList();
  }

  /** The records in {@code state}. */
  public List<PaymentRecord> records(PaymentState state) {
    return records().stream().filter(r -> r.state() == state).toList();
  }

  /** The names of the threads that signed or moved a ledger record, in order. */
  public List<String> payingThreads() {
    return List.copyOf(payingThreads);
  }

  @Override
  public String toString() {
    return "FakePayer[budget=" + budgetCents + " cents]";
  }

  /** One reserved and signed payment. */
  private final class Authorization implements PaymentAuthorization {
    private final Challenge challenge;
    private final String header;
    private final String id;

    Authorization(Challenge challenge, String header, PaymentRecord held) {
      this.challenge = challenge;
      this.header = header;
      this.id = held.id();
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
      return records.get(id);
    }

    @Override
    public PaymentRecord settle(int httpStatus, Receipt receipt, String note) {
      return move(
          PaymentState.PAID,
          receipt == null ? null : receipt.reference(),
          receipt == null ? null : receipt.raw(),
          note);
    }

    @Override
    public PaymentRecord release(String reason) {
      return move(PaymentState.RELEASED, null, null, reason);
    }

    @Override
    public PaymentRecord markUnknown(String reason) {
      return move(PaymentState.UNKNOWN, null, null, reason);
    }

    private PaymentRecord move(PaymentState to, String reference, String receipt, String detail) {
      payingThreads.add(Thread.currentThread().getName());
      PaymentRecord[] result = new PaymentRecord[1];
      records.computeIfPresent(
          id,
          (key, current) -> {
            if (current.state() != PaymentState.HELD) {
              result[0] = current;
              return current;
            }
            if (to == PaymentState.RELEASED) {
              spentCents.addAndGet(-current.amount().longValueExact());
            }
            result[0] = current.withState(to, reference, receipt, detail, Instant.now());
            return result[0];
          });
      return result[0];
    }

    @Override
    public String toString() {
      return "Authorization[" + challenge.id() + "]";
    }
  }
}
