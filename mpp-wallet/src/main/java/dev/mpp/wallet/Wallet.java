package dev.mpp.wallet;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.Payer;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.client.StreamEvent;
import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.wallet.ledger.LedgerExport;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.ledger.Usage;
import dev.mpp.wallet.policy.AgentPolicy;
import dev.mpp.wallet.policy.Cap;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.PolicySet;
import dev.mpp.wallet.price.PriceSource;
import dev.mpp.wallet.price.Prices;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import dev.mpp.wallet.rail.SessionRail;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budget-enforcing {@link Payer}: among the offers some registered {@link Rail} can pay at a
 * known price and the agent's (and its fleet's) {@link Policy} allows, it picks the cheapest,
 * reserves the amount in the {@link LedgerStore}, and only then lets the rail sign.
 *
 * <p>One payment, step by step:
 *
 * <ol>
 *   <li>every offer is quoted by every rail registered for its method and intent, and priced in
 *       micro-dollars (amount plus the rail's fee) through the {@link PriceSource}; offers no rail
 *       can pay are <em>unsupported</em>, offers without a price are <em>unpriced</em>, and neither
 *       is ever chosen;
 *   <li>the non-cap rules of the agent's and the fleet's policies run (expiry, allow/deny lists,
 *       per-payment maximum): failing offers are <em>denied</em>;
 *   <li>the allowed offers are ordered: methods named in {@link Builder#preferMethods} first, then
 *       lowest total cost, ties in the server's order;
 *   <li>for the first, the approval callback runs if a policy asks for it (a denial stops here),
 *       then the ledger reserves the amount while checking every cap atomically. If a cap denies
 *       it, the next offer in order is tried (it may be in another asset or smaller), so the offer
 *       paid is always the best one every rule allows;
 *   <li>the chosen rail signs; the credential is returned in an authorization whose {@code settle},
 *       {@code release} and {@code markUnknown} move the ledger record.
 * </ol>
 *
 * <p>Every record carries the rationale: which offer was chosen and why each other one was not. An
 * agent without a registered policy is refused ({@link ConfigurationException}) unless a default
 * agent policy is set. Thread-safe; build one per process and share it. Closing the wallet closes
 * its ledger store.
 */
public final class Wallet implements Payer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Wallet.class);

  private final LedgerStore ledger;
  private final List<Rail> rails;
  private final Pricing pricing;
  private final Clock clock;
  private final Policies policies;
  private final List<String> preferences;
  private final List<SpendListener> listeners;
  private final ApprovalCallback approvals;
  private final ExecutorService approvalExecutor;
  private final AcceptPayment acceptPayment;

  private Wallet(Builder b) {
    this.ledger = b.ledger;
    this.rails = List.copyOf(b.rails);
    this.pricing = new Pricing(b.prices);
    this.clock = b.clock;
    this.policies = new Policies(b.fleets, b.agents, b.defaultAgent);
    this.preferences = List.copyOf(b.preferences);
    this.listeners = List.copyOf(b.listeners);
    this.approvals = b.approvals;
    this.approvalExecutor = b.approvals == null ? null : newApprovalExecutor();
    this.acceptPayment = buildAcceptPayment(rails, preferences);
  }

  /** Starts configuring a wallet. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every registered rail's ranges. With preferences, preferred methods are sent at q=1 and the
   * others at q=0.5, so that servers offering a choice can order it the same way.
   */
  @Override
  public AcceptPayment acceptPayment() {
    return acceptPayment;
  }

  private static AcceptPayment buildAcceptPayment(List<Rail> rails, List<String> preferences) {
    Map<String, AcceptPayment.Range> ranges = new LinkedHashMap<>();
    for (Rail rail : rails) {
      for (AcceptPayment.Range range : rail.acceptRanges()) {
        int weight =
            preferences.isEmpty() || preferences.contains(range.method()) ? range.weight() : 500;
        ranges.putIfAbsent(
            range.method() + "/" + range.intent(),
            new AcceptPayment.Range(range.method(), range.intent(), weight));
      }
    }
    return AcceptPayment.of(ranges.values());
  }

  @Override
  public PaymentAuthorization authorize(PaymentContext context, List<Challenge> offers) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(offers, "offers");
    String agent = context.agent();
    PayingAgent payer = policies.of(agent);
    List<Selection.Scoped> scoped = payer.scoped();
    Selection selection =
        Selection.evaluate(
            offers,
            new Selection.Inputs(
                rails, pricing, preferences, context.host(), clock.instant(), scoped));
    if (selection.allowed().isEmpty()) {
      String why = selection.failure(List.of());
      log.debug("agent {} cannot pay {}: {}", agent, context.origin(), why);
      List<Selection.Option> denied = selection.denied();
      if (!denied.isEmpty()) {
        throw explained(denied.get(0).denial, why);
      }
      throw new PaymentRefusedException(ErrorCode.NO_PAYABLE_OFFER, "no payable offer: " + why);
    }
    List<Selection.Option> skipped = new ArrayList<>();
    PaymentDeniedException firstDenial = null;
    for (Selection.Option option : selection.allowed()) {
      approve(payer, scoped, option, context);
      Instant at = clock.instant();
      for (Selection.Scoped s : scoped) {
        // Approval may have taken a while: the budget may have expired meanwhile.
        Optional<PaymentDeniedException> late = s.policy().check(option.spend, s.label(), at);
        if (late.isPresent()) {
          throw explained(late.get(), selection.failure(skipped));
        }
      }
      String rationale = selection.rationale(option, skipped);
      if (option.rail instanceof SessionRail session) {
        try {
          PaymentAuthorization authorization =
              session.authorize(
                  option.challenge,
                  context,
                  new WalletFunding(
                      payer, rationale, option.amount.asset(), ledger, clock, pricing));
          log.debug("agent {} pays {} by session: {}", agent, context.origin(), rationale);
          return authorization;
        } catch (PaymentDeniedException d) {
          option.reason = "denied by " + d.rule();
          skipped.add(option);
          if (firstDenial == null) {
            firstDenial = d;
          }
          continue;
        }
      }
      PaymentRecord draft = draft(context, payer, option, rationale, at);
      List<Limit> limits = payer.limits(option.amount.asset().key(), at);
      Reserved reserved;
      try {
        reserved = ledger.reserve(draft, limits);
      } catch (PaymentDeniedException d) {
        option.reason = "denied by " + d.rule();
        skipped.add(option);
        if (firstDenial == null) {
          firstDenial = d;
        }
        continue;
      } catch (MppException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new PaymentFailedException(
            ErrorCode.LEDGER_FAILURE,
            "ledger could not reserve the payment: " + e.getClass().getSimpleName(),
            e);
      }
      log.debug("agent {} pays {}: {}", agent, context.origin(), rationale);
      notifyThresholds(reserved, payer);
      return pay(option, context, reserved.record());
    }
    String why = selection.failure(skipped);
    log.debug("agent {} cannot pay {}: {}", agent, context.origin(), why);
    throw explained(firstDenial, why);
  }

  /**
   * Pays up front when a registered {@link SessionRail} holds a still-valid challenge for the
   * request's resource: the same selection, policy and ledger rules as {@link #authorize} apply to
   * that one offer. Any refusal just means "no up-front payment".
   */
  @Override
  public Optional<PaymentAuthorization> preauthorize(PaymentContext context) {
    Objects.requireNonNull(context, "context");
    for (Rail rail : rails) {
      if (!(rail instanceof SessionRail session)) {
        continue;
      }
      Optional<Challenge> challenge;
      try {
        challenge = session.upfrontChallenge(context);
      } catch (RuntimeException e) {
        log.debug("session rail {} has no up-front challenge: {}", rail, e.toString());
        continue;
      }
      if (challenge.isPresent()) {
        try {
          return Optional.of(authorize(context, List.of(challenge.get())));
        } catch (MppException e) {
          log.debug("not paying {} up front: {} ({})", context.origin(), e.code(), e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Pays a payment event of a streamed response (a session's {@code payment-need-voucher}) through
   * the session rail whose channel it names. The demand's increment passes the agent's and fleet's
   * per-payment rules; a top-up it needs is held under every cap, as for a request.
   */
  @Override
  public void payInStream(PaymentContext context, StreamEvent event) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(event, "event");
    String agent = context.agent();
    PayingAgent payer = policies.of(agent);
    for (Rail rail : rails) {
      if (rail instanceof SessionRail session
          && session.payInStream(
              context,
              event,
              new WalletFunding(
                  payer, "requested by the streamed response", null, ledger, clock, pricing))) {
        return;
      }
    }
    if (event.isPaymentDemand()) {
      throw new PaymentRefusedException(
          ErrorCode.NO_PAYABLE_OFFER,
          "no session rail of this wallet pays the stream's " + event.type() + " event");
    }
  }

  /**
   * Evaluates {@code offers} as {@link #authorize} would, without reserving, signing or recording
   * anything. Caps are checked against the ledger's current usage, so the answer can change by the
   * time a payment is actually made.
   *
   * @return one preview per offer and rail, in server order; at most one is {@code chosen}
   */
  public List<OfferPreview> preview(PaymentContext context, List<Challenge> offers) {
    Objects.requireNonNull(context, "context");
    String agent = context.agent();
    PayingAgent payer = policies.of(agent);
    List<Selection.Scoped> scoped = payer.scoped();
    Instant now = clock.instant();
    Selection selection =
        Selection.evaluate(
            offers, new Selection.Inputs(rails, pricing, preferences, context.host(), now, scoped));
    Map<Selection.Option, String> capDenials = new java.util.IdentityHashMap<>();
    Selection.Option chosen = null;
    for (Selection.Option option : selection.allowed()) {
      PaymentRecord draft = draft(context, payer, option, "preview", now);
      String denial = null;
      for (Limit limit : payer.limits(option.amount.asset().key(), now)) {
        Optional<PaymentDeniedException> denied =
            limit.check(ledger.usage(limit.scope(), limit.since(), limit.assetKey()), draft);
        if (denied.isPresent()) {
          denial = denied.get().getMessage();
          break;
        }
      }
      if (denial == null) {
        chosen = option;
        break;
      }
      capDenials.put(option, denial);
    }
    List<OfferPreview> previews = new ArrayList<>();
    for (Selection.Option option : selection.options()) {
      OfferPreview.Status status =
          switch (option.verdict) {
            case ALLOWED ->
                capDenials.containsKey(option)
                    ? OfferPreview.Status.DENIED
                    : OfferPreview.Status.PAYABLE;
            case UNSUPPORTED -> OfferPreview.Status.UNSUPPORTED;
            case UNPRICED -> OfferPreview.Status.UNPRICED;
            case INVALID -> OfferPreview.Status.INVALID;
            case DENIED -> OfferPreview.Status.DENIED;
          };
      String reason =
          status == OfferPreview.Status.PAYABLE
              ? null
              : capDenials.containsKey(option) ? capDenials.get(option) : option.reason;
      boolean priced = option.amount != null && status != OfferPreview.Status.UNPRICED;
      previews.add(
          new OfferPreview(
              option.challenge,
              option.rail == null ? null : option.rail.method(),
              status,
              reason,
              option.amount,
              option.fee,
              priced ? option.usdMicros : null,
              priced ? option.feeUsdMicros : null,
              option == chosen));
    }
    return previews;
  }

  private void approve(
      PayingAgent payer,
      List<Selection.Scoped> scoped,
      Selection.Option option,
      PaymentContext context) {
    String rule = null;
    Duration timeout = null;
    for (Selection.Scoped s : scoped) {
      if (s.policy().requiresApproval(option.usdMicros)) {
        rule = rule == null ? s.label() + "/approval" : rule;
        Duration t = s.policy().approvalTimeout();
        timeout = timeout == null || t.compareTo(timeout) < 0 ? t : timeout;
      }
    }
    if (rule == null) {
      return;
    }
    ApprovalRequest request =
        new ApprovalRequest(
            payer.agent(),
            payer.fleet(),
            context.safeUrl(),
            option.challenge.realm(),
            option.challenge.method(),
            option.challenge.intent(),
            option.challenge.id(),
            option.spend.recipient(),
            option.challenge.description().orElse(null),
            option.amount,
            option.usdMicros,
            option.feeUsdMicros,
            rule);
    String refusal = askApproval(request, timeout);
    if (refusal != null) {
      BigDecimal usd = Usd.toDecimal(option.usdMicros);
      log.debug("agent {}: {} {} for {}", payer.agent(), rule, refusal, option.label());
      throw new PaymentDeniedException(
          ErrorCode.APPROVAL_DENIED,
          rule,
          usd,
          null,
          null,
          "usd",
          rule + ": " + Usd.format(option.usdMicros) + " usd payment " + refusal);
    }
  }

  /** Runs the callback with a timeout; returns null when approved, else why not. */
  private String askApproval(ApprovalRequest request, Duration timeout) {
    if (approvals == null) {
      return "needs approval but no approval callback is configured";
    }
    Future<Boolean> answer;
    try {
      answer = approvalExecutor.submit(() -> approvals.approve(request));
    } catch (RuntimeException e) {
      return "could not ask for approval (" + e.getClass().getSimpleName() + ")";
    }
    try {
      return Boolean.TRUE.equals(answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS))
          ? null
          : "was not approved";
    } catch (TimeoutException e) {
      answer.cancel(true);
      return "got no approval within " + timeout.toMillis() + " ms";
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      return "was interrupted while waiting for approval";
    } catch (ExecutionException e) {
      log.warn("approval callback failed: {}", e.getCause().getClass().getName());
      return "was not approved (callback failed: " + e.getCause().getClass().getSimpleName() + ")";
    }
  }

  private PaymentRecord draft(
      PaymentContext context,
      PayingAgent payer,
      Selection.Option option,
      String rationale,
      Instant at) {
    Challenge challenge = option.challenge;
    Asset asset = option.amount.asset();
    return new PaymentRecord(
        UUID.randomUUID().toString(),
        payer.agent(),
        payer.fleet(),
        at,
        at,
        context.safeUrl(),
        context.origin(),
        challenge.realm(),
        challenge.method(),
        challenge.intent(),
        challenge.id(),
        option.amount.units(),
        asset.currency(),
        asset.chainId(),
        asset.decimals(),
        option.usdMicros,
        option.feeUsdMicros,
        PaymentState.HELD,
        null,
        null,
        rationale,
        null);
  }

  private PaymentAuthorization pay(
      Selection.Option option, PaymentContext context, PaymentRecord record) {
    Rail rail = option.rail;
    RailPayment payment;
    try {
      payment = rail.pay(option.challenge, context);
    } catch (PaymentOutcomeUnknownException e) {
      PaymentRecord unknown = move(record, PaymentState.UNKNOWN, "rail: " + e.getMessage());
      throw new PaymentOutcomeUnknownException(e.getMessage(), unknown, e);
    } catch (MppException e) {
      move(record, PaymentState.RELEASED, "rail failed: " + e.code());
      throw e;
    } catch (RuntimeException e) {
      move(record, PaymentState.RELEASED, "rail failed: " + e.getClass().getSimpleName());
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "rail " + rail.method() + " failed: " + e.getClass().getSimpleName(),
          e);
    } catch (Error e) {
      // Where a push-style rail stopped is unknowable: keep the amount counted.
      move(record, PaymentState.UNKNOWN, "rail raised " + e.getClass().getSimpleName());
      throw e;
    }
    if (payment == null) {
      move(record, PaymentState.RELEASED, "rail returned no payment");
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "rail " + rail.method() + " returned no payment");
    }
    String header;
    try {
      header = Credential.of(option.challenge, payment.payload(), payment.source()).toHeaderValue();
    } catch (RuntimeException e) {
      String reason = "credential could not be encoded: " + e.getClass().getSimpleName();
      if (payment.reference() != null) {
        // The rail already pushed a transaction: money may have moved without a credential.
        PaymentRecord unknown = move(record, PaymentState.UNKNOWN, reason);
        throw new PaymentOutcomeUnknownException(reason, unknown, e);
      }
      move(record, PaymentState.RELEASED, reason);
      throw new PaymentFailedException(ErrorCode.RAIL_FAILED, reason, e);
    }
    return new WalletAuthorization(
        option.challenge, header, payment.reference(), payment.settled(), record, ledger, clock);
  }

  private PaymentRecord move(PaymentRecord record, PaymentState state, String detail) {
    return WalletAuthorization.transition(ledger, clock, record, state, null, null, detail);
  }

  private void notifyThresholds(Reserved reserved, PayingAgent payer) {
    if (listeners.isEmpty()) {
      return;
    }
    PaymentRecord record = reserved.record();
    for (Reserved.LimitUsage usage : reserved.usages()) {
      Limit limit = usage.limit();
      Policy policy = payer.policyOf(limit.scope()).orElse(null);
      if (policy == null || policy.alertFractions().isEmpty()) {
        continue;
      }
      Usage before = usage.before();
      Usage after = limit.after(before, record);
      if (limit.maxUsdMicros() != null) {
        crossings(
            limit,
            policy,
            record,
            BigInteger.valueOf(before.usdMicros()),
            BigInteger.valueOf(after.usdMicros()),
            BigInteger.valueOf(limit.maxUsdMicros()),
            6,
            "usd");
      }
      if (limit.maxCount() != null) {
        crossings(
            limit,
            policy,
            record,
            BigInteger.valueOf(before.count()),
            BigInteger.valueOf(after.count()),
            BigInteger.valueOf(limit.maxCount()),
            0,
            "payments");
      }
      if (limit.maxUnits() != null) {
        crossings(
            limit,
            policy,
            record,
            before.units(),
            after.units(),
            limit.maxUnits(),
            record.decimals(),
            limit.assetKey());
      }
    }
  }

  private void crossings(
      Limit limit,
      Policy policy,
      PaymentRecord record,
      BigInteger before,
      BigInteger after,
      BigInteger cap,
      int scale,
      String unit) {
    BigDecimal from = new BigDecimal(before);
    BigDecimal to = new BigDecimal(after);
    for (BigDecimal fraction : policy.alertFractions()) {
      BigDecimal threshold = fraction.multiply(new BigDecimal(cap));
      if (from.compareTo(threshold) < 0 && threshold.compareTo(to) <= 0) {
        ThresholdCrossing crossing =
            new ThresholdCrossing(
                limit.scope(),
                limit.rule(),
                fraction,
                new BigDecimal(after, scale),
                new BigDecimal(cap, scale),
                unit,
                record);
        for (SpendListener listener : listeners) {
          try {
            listener.thresholdCrossed(crossing);
          } catch (RuntimeException e) {
            log.warn("spend listener failed: {}", e.getClass().getName());
          }
        }
      }
    }
  }

  private static PaymentDeniedException explained(PaymentDeniedException denial, String why) {
    return new PaymentDeniedException(
        denial.code(),
        denial.rule(),
        denial.amount().orElse(null),
        denial.limit().orElse(null),
        denial.remaining().orElse(null),
        denial.unit(),
        denial.getMessage() + " [offers: " + why + "]");
  }

  // ---------------------------------------------------------------------------------------------
  // Ledger access: reconciliation, queries, exports, budgets.
  // ---------------------------------------------------------------------------------------------

  /**
   * Records that a payment in state UNKNOWN (or still HELD) did settle, e.g. after finding its
   * transaction on chain. It keeps counting against the caps.
   *
   * @param reference the settlement reference found (transaction hash, payment intent id)
   * @return the record, now PAID
   * @throws NoSuchElementException when no record has {@code id}
   * @throws IllegalStateException when the record was already released
   */
  public PaymentRecord reconcilePaid(String id, String reference) {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("a reconciled payment needs its settlement reference");
    }
    return ledger.transition(
        id, PaymentState.PAID, reference, null, "reconciled as paid", clock.instant());
  }

  /**
   * Records that a payment in state UNKNOWN (or still HELD) never moved money, e.g. the transaction
   * was never mined or the server confirmed it rejected the credential. It stops counting against
   * the caps.
   *
   * @param reason why, kept in the record's detail
   * @return the record, now RELEASED
   * @throws NoSuchElementException when no record has {@code id}
   * @throws IllegalStateException when the record was already paid
   */
  public PaymentRecord reconcileReleased(String id, String reason) {
    Objects.requireNonNull(reason, "reason");
    return ledger.transition(
        id,
        PaymentState.RELEASED,
        null,
        null,
        "reconciled as released: " + reason,
        clock.instant());
  }

  /** The record with {@code id}. */
  public Optional<PaymentRecord> record(String id) {
    return ledger.find(id);
  }

  /** Records matching {@code query}, oldest first. */
  public List<PaymentRecord> records(LedgerQuery query) {
    return ledger.query(query);
  }

  /** Writes the records matching {@code query} as JSON lines (one object per record). */
  public void exportJsonLines(Writer out, LedgerQuery query) throws IOException {
    LedgerExport.jsonLines(out, ledger.query(query));
  }

  /** Writes the records matching {@code query} as CSV with a header row. */
  public void exportCsv(Writer out, LedgerQuery query) throws IOException {
    LedgerExport.csv(out, ledger.query(query));
  }

  /**
   * Where {@code agent} stands against each of its caps and its fleet's caps, now.
   *
   * @throws ConfigurationException when the agent has no policy
   */
  public Budget budget(String agent) {
    PayingAgent payer = policies.of(Objects.requireNonNull(agent, "agent"));
    Instant now = clock.instant();
    List<Budget.Line> lines = new ArrayList<>();
    lines.addAll(lines(Limit.Scope.agent(agent), payer.policy(), now));
    if (payer.fleet() != null) {
      lines.addAll(lines(Limit.Scope.fleet(payer.fleet()), payer.fleetPolicy(), now));
    }
    return new Budget(agent, payer.fleet(), now, payer.expiresAt(), lines);
  }

  private List<Budget.Line> lines(Limit.Scope scope, Policy policy, Instant now) {
    List<Budget.Line> lines = new ArrayList<>();
    for (Cap cap : policy.caps()) {
      for (Limit limit : cap.limits(scope, now)) {
        Usage counted = ledger.usage(scope, limit.since(), limit.assetKey());
        Usage held = sum(limit, scope, PaymentState.HELD);
        Usage unknown = sum(limit, scope, PaymentState.UNKNOWN);
        lines.add(line(limit, counted, held, unknown));
      }
    }
    return lines;
  }

  private Usage sum(Limit limit, Limit.Scope scope, PaymentState state) {
    LedgerQuery query =
        new LedgerQuery(
            scope.kind() == Limit.Scope.Kind.AGENT ? scope.name() : null,
            scope.kind() == Limit.Scope.Kind.FLEET ? scope.name() : null,
            limit.since(),
            null,
            state,
            0);
    Usage total = Usage.NONE;
    for (PaymentRecord record : ledger.query(query)) {
      if (limit.counts(record)) {
        total = limit.after(total, record);
      }
    }
    return total;
  }

  private static Budget.Line line(Limit limit, Usage counted, Usage held, Usage unknown) {
    if (limit.maxUsdMicros() != null) {
      return line(
          limit,
          "usd",
          6,
          BigInteger.valueOf(limit.maxUsdMicros()),
          BigInteger.valueOf(counted.usdMicros()),
          BigInteger.valueOf(held.usdMicros()),
          BigInteger.valueOf(unknown.usdMicros()));
    }
    if (limit.maxCount() != null) {
      return line(
          limit,
          "payments",
          0,
          BigInteger.valueOf(limit.maxCount()),
          BigInteger.valueOf(counted.count()),
          BigInteger.valueOf(held.count()),
          BigInteger.valueOf(unknown.count()));
    }
    // Units caps are shown in base units: the asset's decimals are not known without a payment.
    return line(
        limit,
        limit.assetKey(),
        0,
        limit.maxUnits(),
        counted.units(),
        held.units(),
        unknown.units());
  }

  private static Budget.Line line(
      Limit limit,
      String unit,
      int scale,
      BigInteger cap,
      BigInteger counted,
      BigInteger held,
      BigInteger unknown) {
    BigInteger paid = counted.subtract(held).subtract(unknown).max(BigInteger.ZERO);
    BigInteger remaining = cap.subtract(counted).max(BigInteger.ZERO);
    return new Budget.Line(
        limit.scope(),
        limit.rule(),
        limit.since(),
        unit,
        new BigDecimal(cap, scale),
        new BigDecimal(paid, scale),
        new BigDecimal(held, scale),
        new BigDecimal(unknown, scale),
        new BigDecimal(remaining, scale));
  }

  /** Stops the approval threads and closes the ledger store. */
  @Override
  public void close() {
    if (approvalExecutor != null) {
      approvalExecutor.shutdownNow();
    }
    ledger.close();
  }

  @Override
  public String toString() {
    return "Wallet[rails="
        + rails.stream().map(Rail::method).toList()
        + ", agents="
        + policies.agentNames()
        + ", fleets="
        + policies.fleetNames()
        + "]";
  }

  private static ExecutorService newApprovalExecutor() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "mpp-approval-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Configures a {@link Wallet}. A ledger store, at least one rail and one policy are required. */
  public static final class Builder {
    private LedgerStore ledger;
    private final List<Rail> rails = new ArrayList<>();
    private PriceSource prices = Prices.defaults();
    private Clock clock = Clock.systemUTC();
    private final Map<String, Policy> fleets = new LinkedHashMap<>();
    private final Map<String, AgentPolicy> agents = new LinkedHashMap<>();
    private AgentPolicy defaultAgent;
    private final Set<String> preferences = new LinkedHashSet<>();
    private final List<SpendListener> listeners = new ArrayList<>();
    private ApprovalCallback approvals;

    private Builder() {}

    /** Where payments are reserved and recorded (required; the wallet closes it). */
    public Builder ledger(LedgerStore ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** Registers rails; when several can pay an offer, each is quoted and the cheapest wins. */
    public Builder rail(Rail... rails) {
      return rails(Arrays.asList(rails));
    }

    /** Registers rails. */
    public Builder rails(Collection<? extends Rail> rails) {
      for (Rail rail : rails) {
        this.rails.add(Objects.requireNonNull(rail, "rail"));
      }
      return this;
    }

    /** Where USD prices come from (default {@link Prices#defaults()}). */
    public Builder prices(PriceSource prices) {
      this.prices = Objects.requireNonNull(prices, "prices");
      return this;
    }

    /** The clock for rolling windows, expiries and record times (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Registers a fleet and the policy that limits all its agents together. */
    public Builder fleet(String name, Policy policy) {
      fleets.put(name(name, "fleet"), Objects.requireNonNull(policy, "policy"));
      return this;
    }

    /** Registers an agent that belongs to no fleet. */
    public Builder agent(String name, Policy policy) {
      agents.put(name(name, "agent"), new AgentPolicy(null, policy));
      return this;
    }

    /** Registers an agent of {@code fleet} (which must be registered too). */
    public Builder agent(String name, String fleet, Policy policy) {
      agents.put(name(name, "agent"), new AgentPolicy(name(fleet, "fleet"), policy));
      return this;
    }

    /**
     * The policy for agents not registered by name (default: none, such agents are refused). Each
     * unregistered agent name gets its own budget under this policy, so a fleet should also set
     * fleet caps: those bound the total however many agent names appear.
     *
     * @param fleet the fleet such agents belong to, or null
     */
    public Builder defaultAgent(String fleet, Policy policy) {
      this.defaultAgent = new AgentPolicy(fleet == null ? null : name(fleet, "fleet"), policy);
      return this;
    }

    /** Registers every fleet, agent and the default agent policy of {@code set}. */
    public Builder policies(PolicySet set) {
      set.fleets().forEach(this::fleet);
      set.agents().forEach((name, agent) -> agents.put(name(name, "agent"), agent));
      set.defaultAgentPolicy().ifPresent(agent -> this.defaultAgent = agent);
      return this;
    }

    /**
     * Methods to choose before any other, in order, e.g. {@code preferMethods("tempo")}: an allowed
     * offer of a preferred method wins over a cheaper one of another method.
     */
    public Builder preferMethods(String... methods) {
      for (String method : methods) {
        preferences.add(name(method, "method").toLowerCase(Locale.ROOT));
      }
      return this;
    }

    /** Hears when spend crosses a policy's alert fractions. */
    public Builder listener(SpendListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Asked before payments above a policy's approval threshold. */
    public Builder approvals(ApprovalCallback callback) {
      this.approvals = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /**
     * Builds the wallet.
     *
     * @throws ConfigurationException when the ledger or rails are missing, an agent names an
     *     unregistered fleet, or a policy asks for approval without an approval callback
     */
    public Wallet build() {
      if (ledger == null) {
        throw invalid("a wallet needs a ledger store (InMemoryLedgerStore for tests)");
      }
      if (rails.isEmpty()) {
        throw invalid("a wallet needs at least one rail");
      }
      if (agents.isEmpty() && defaultAgent == null) {
        throw invalid("a wallet needs at least one agent policy or a default agent policy");
      }
      List<Map.Entry<String, AgentPolicy>> all = new ArrayList<>(agents.entrySet());
      if (defaultAgent != null) {
        all.add(Map.entry("(default agent)", defaultAgent));
      }
      for (Map.Entry<String, AgentPolicy> entry : all) {
        String fleet = entry.getValue().fleet();
        if (fleet != null && !fleets.containsKey(fleet)) {
          throw invalid(
              "agent '"
                  + entry.getKey()
                  + "' names fleet '"
                  + fleet
                  + "', which is not registered");
        }
      }
      if (approvals == null) {
        List<String> asking = new ArrayList<>();
        fleets.forEach((name, p) -> addIfAsking(asking, "fleet '" + name + "'", p));
        all.forEach(e -> addIfAsking(asking, "agent '" + e.getKey() + "'", e.getValue().policy()));
        if (!asking.isEmpty()) {
          throw invalid(
              "the policy of "
                  + asking.get(0)
                  + " asks for approval, but no approval callback is configured");
        }
      }
      return new Wallet(this);
    }

    private static void addIfAsking(List<String> asking, String who, Policy policy) {
      if (policy.approvalAboveUsdMicros().isPresent()) {
        asking.add(who);
      }
    }

    private static String name(String name, String what) {
      if (name == null || name.isBlank()) {
        throw invalid(what + " name must not be blank");
      }
      return name;
    }

    private static ConfigurationException invalid(String message) {
      return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, message);
    }
  }
}
