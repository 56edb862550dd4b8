package dev.mpp.wallet;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.Payer;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.client.SetOnce;
import dev.mpp.client.StreamEvent;
import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.ledger.LedgerExport;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.policy.AgentPolicy;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.PolicySet;
import dev.mpp.wallet.price.PriceSource;
import dev.mpp.wallet.price.Prices;
import dev.mpp.wallet.rail.Funding;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.SessionRail;
import java.io.IOException;
import java.io.Writer;
import java.time.Clock;
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
  private final ApprovalGate approvals;
  private final ThresholdAlerts alerts;
  private final BudgetReport budgets;
  private final RailCharge charges;
  private final AcceptPayment acceptPayment;

  private Wallet(Builder b, Policies policies) {
    this.ledger = b.ledger;
    this.rails = List.copyOf(b.rails);
    this.pricing = new Pricing(b.prices == null ? Prices.defaults() : b.prices);
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    this.policies = policies;
    this.preferences = List.copyOf(b.preferences);
    this.approvals = new ApprovalGate(b.approvals);
    this.alerts = new ThresholdAlerts(b.listeners);
    this.budgets = new BudgetReport(b.ledger);
    this.charges = new RailCharge(b.ledger, clock);
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
    Selection selection = select(offers, context, scoped, clock.instant());
    if (selection.allowed().isEmpty()) {
      String why = selection.failure(List.of());
      log.debug("agent {} cannot pay {}: {}", agent, context.origin(), why);
      List<Selection.Option> denied = selection.denied();
      if (!denied.isEmpty()) {
        throw Selection.explained(denied.get(0).denial, why);
      }
      throw new PaymentRefusedException(ErrorCode.NO_PAYABLE_OFFER, "no payable offer: " + why);
    }
    List<Selection.Option> skipped = new ArrayList<>();
    PaymentDeniedException firstDenial = null;
    for (Selection.Option option : selection.allowed()) {
      approvals.check(payer, option, context);
      Instant at = clock.instant();
      for (Selection.Scoped s : scoped) {
        // Approval may have taken a while: the budget may have expired meanwhile.
        Optional<PaymentDeniedException> late = s.policy().check(option.spend, s.label(), at);
        if (late.isPresent()) {
          throw Selection.explained(late.get(), selection.failure(skipped));
        }
      }
      String rationale = selection.rationale(option, skipped);
      Reserved reserved;
      try {
        if (option.rail instanceof SessionRail session) {
          Funding funding = funding(payer, rationale, option.amount.asset());
          PaymentAuthorization authorization =
              session.authorize(option.challenge, context, funding);
          log.debug("agent {} pays {} by session: {}", agent, context.origin(), rationale);
          return authorization;
        }
        PaymentRecord draft = RailCharge.draft(context, payer, option, rationale, at);
        reserved = charges.reserve(draft, payer.limits(option.amount.asset().key(), at));
      } catch (PaymentDeniedException d) {
        // A cap (the ledger's or the session rail's) refused it: the next offer may fit.
        option.reason = "denied by " + d.rule();
        skipped.add(option);
        if (firstDenial == null) {
          firstDenial = d;
        }
        continue;
      }
      log.debug("agent {} pays {}: {}", agent, context.origin(), rationale);
      alerts.reserved(reserved, payer);
      return charges.pay(option, context, reserved.record());
    }
    String why = selection.failure(skipped);
    log.debug("agent {} cannot pay {}: {}", agent, context.origin(), why);
    throw Selection.explained(firstDenial, why);
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
              context, event, funding(payer, "requested by the streamed response", null))) {
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
    Instant now = clock.instant();
    Selection selection = select(offers, context, payer.scoped(), now);
    return OfferPreviews.of(selection, payer, context, ledger, now);
  }

  private Selection select(
      List<Challenge> offers, PaymentContext context, List<Selection.Scoped> scoped, Instant now) {
    return Selection.evaluate(
        offers, new Selection.Inputs(rails, pricing, preferences, context.host(), now, scoped));
  }

  private Funding funding(PayingAgent payer, String rationale, Asset asset) {
    return new WalletFunding(payer, rationale, asset, ledger, clock, pricing);
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
    return budgets.of(policies.of(Objects.requireNonNull(agent, "agent")), clock.instant());
  }

  /** Stops the approval threads and closes the ledger store. */
  @Override
  public void close() {
    approvals.close();
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

  /**
   * Configures a {@link Wallet}. A ledger store, at least one rail and one policy are required.
   * Setters of one value ({@code ledger}, {@code prices}, {@code clock}, {@code defaultAgent},
   * {@code approvals}) throw {@link IllegalStateException} when called twice; the others add.
   */
  public static final class Builder {
    private LedgerStore ledger;
    private final List<Rail> rails = new ArrayList<>();
    private PriceSource prices;
    private Clock clock;
    private final Map<String, Policy> fleets = new LinkedHashMap<>();
    private final Map<String, AgentPolicy> agents = new LinkedHashMap<>();
    private AgentPolicy defaultAgent;
    private final Set<String> preferences = new LinkedHashSet<>();
    private final List<SpendListener> listeners = new ArrayList<>();
    private ApprovalCallback approvals;

    private Builder() {}

    /** Where payments are reserved and recorded (required; the wallet closes it). */
    public Builder ledger(LedgerStore ledger) {
      this.ledger = once(this.ledger, ledger, "ledger");
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
      this.prices = once(this.prices, prices, "prices");
      return this;
    }

    /** The clock for rolling windows, expiries and record times (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = once(this.clock, clock, "clock");
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
      AgentPolicy agent = new AgentPolicy(fleet == null ? null : name(fleet, "fleet"), policy);
      this.defaultAgent = once(this.defaultAgent, agent, "defaultAgent");
      return this;
    }

    /**
     * Registers every fleet, agent and the default agent policy of {@code set}.
     *
     * @throws IllegalStateException when {@code set} has a default agent policy and one was already
     *     set
     */
    public Builder policies(PolicySet set) {
      // The one-shot check first, so that a refused set leaves the builder as it was.
      set.defaultAgentPolicy()
          .ifPresent(agent -> this.defaultAgent = once(this.defaultAgent, agent, "defaultAgent"));
      set.fleets().forEach(this::fleet);
      set.agents().forEach((name, agent) -> agents.put(name(name, "agent"), agent));
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
      this.approvals = once(this.approvals, callback, "approvals");
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
      Policies policies = new Policies(fleets, agents, defaultAgent, approvals != null);
      return new Wallet(this, policies);
    }

    /** Caffeine-style: a one-shot setter called twice is a bug in the caller's configuration. */
    private static <T> T once(T current, T value, String setter) {
      return SetOnce.firstValue(current, Objects.requireNonNull(value, setter), setter);
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
