package dev.mpp.wallet.policy;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.SetOnce;
import dev.mpp.wallet.Usd;
import dev.mpp.wallet.ledger.Limit;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The spending rules of one agent or one fleet: a per-payment maximum, rolling-window caps, allow
 * and deny lists, a budget expiry, an approval threshold, and the fractions of each cap at which
 * listeners hear about spend. Immutable and thread-safe.
 *
 * <p>An agent's payment must pass its own policy and, when it belongs to a fleet, the fleet's
 * policy too; so whichever rule is tighter wins. Caps of an agent policy count that agent's
 * payments; caps of a fleet policy count every payment of the fleet.
 *
 * <p>Build one in code with {@link #builder()}, or load one from JSON with {@link #load(Path)}
 * (format in {@code SPENDING.md}).
 */
public final class Policy {
  /** How long an approval callback may take when the policy does not say (30 s). */
  public static final Duration DEFAULT_APPROVAL_TIMEOUT = Duration.ofSeconds(30);

  private static final Policy UNLIMITED = builder().build();

  private final Long maxPerPaymentUsdMicros;
  private final Long maxLockableUsdMicros;
  private final List<Cap> caps;
  private final Map<Attribute, Patterns> allow;
  private final Map<Attribute, Patterns> deny;
  private final Instant expiresAt;
  private final Long approvalAboveUsdMicros;
  private final Duration approvalTimeout;
  private final List<BigDecimal> alertFractions;

  private Policy(Builder b) {
    this.maxPerPaymentUsdMicros = b.maxPerPaymentUsdMicros;
    this.maxLockableUsdMicros = b.maxLockableUsdMicros;
    this.caps = List.copyOf(b.caps);
    this.allow = Collections.unmodifiableMap(new EnumMap<>(b.allow));
    this.deny = Collections.unmodifiableMap(new EnumMap<>(b.deny));
    this.expiresAt = b.expiresAt;
    this.approvalAboveUsdMicros = b.approvalAboveUsdMicros;
    this.approvalTimeout = b.approvalTimeout;
    this.alertFractions = List.copyOf(b.alertFractions);
  }

  /** Starts an empty policy (no limits until added). */
  public static Builder builder() {
    return new Builder();
  }

  /** A policy without any rule. Use it only where another policy (e.g. the fleet's) limits. */
  public static Policy unlimited() {
    return UNLIMITED;
  }

  /**
   * Parses a policy from JSON.
   *
   * @throws ConfigurationException with a one-line message naming the problem
   */
  public static Policy fromJson(String json) {
    return PolicyJson.parsePolicy(json, "policy");
  }

  /**
   * Loads a policy from a JSON file.
   *
   * @throws ConfigurationException when the file cannot be read or is not a valid policy
   */
  public static Policy load(Path file) {
    return PolicyJson.parsePolicy(read(file), file.toString());
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION,
          "cannot read policy file " + file + ": " + e.getClass().getSimpleName(),
          e);
    }
  }

  /** The largest single payment in micro-dollars, if limited. */
  public OptionalLong maxPerPaymentUsdMicros() {
    return maxPerPaymentUsdMicros == null
        ? OptionalLong.empty()
        : OptionalLong.of(maxPerPaymentUsdMicros);
  }

  /**
   * The most one payment channel may hold locked and unspent (its deposit minus what vouchers have
   * authorized), in micro-dollars, if limited. A session deposit or top-up never makes a channel
   * exceed it; the deposit itself still counts against the caps while it is held.
   */
  public OptionalLong maxLockableUsdMicros() {
    return maxLockableUsdMicros == null
        ? OptionalLong.empty()
        : OptionalLong.of(maxLockableUsdMicros);
  }

  /** The rolling-window caps. */
  public List<Cap> caps() {
    return caps;
  }

  /** The allow-list patterns for {@code attribute} (empty: everything allowed). */
  public List<String> allowed(Attribute attribute) {
    return allow.getOrDefault(attribute, Patterns.NONE).sources();
  }

  /** The deny-list patterns for {@code attribute}. */
  public List<String> denied(Attribute attribute) {
    return deny.getOrDefault(attribute, Patterns.NONE).sources();
  }

  /** When the budget stops allowing payments, if it does. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** Payments above this many micro-dollars need approval, if set. */
  public OptionalLong approvalAboveUsdMicros() {
    return approvalAboveUsdMicros == null
        ? OptionalLong.empty()
        : OptionalLong.of(approvalAboveUsdMicros);
  }

  /** How long the approval callback may take before the payment is denied. */
  public Duration approvalTimeout() {
    return approvalTimeout;
  }

  /** The fractions of each cap (ascending, in (0, 1]) at which spend listeners are told. */
  public List<BigDecimal> alertFractions() {
    return alertFractions;
  }

  /** Whether a payment of {@code usdMicros} needs approval under this policy. */
  public boolean requiresApproval(long usdMicros) {
    return approvalAboveUsdMicros != null && usdMicros > approvalAboveUsdMicros;
  }

  /**
   * Checks every rule except the caps (which the ledger checks atomically with the reservation):
   * expiry, deny lists, allow lists and the per-payment maximum, in that order.
   *
   * @param spend the prospective payment
   * @param scope the scope label for rule names, e.g. {@code agent:bot-1}
   * @param now the current time
   * @return the first denial, or empty when every rule allows the payment
   */
  public Optional<PaymentDeniedException> check(Spend spend, String scope, Instant now) {
    BigDecimal usd = Usd.toDecimal(spend.usdMicros());
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      return Optional.of(
          new PaymentDeniedException(
              ErrorCode.BUDGET_EXPIRED,
              scope + "/expires",
              usd,
              null,
              null,
              "usd",
              scope + "/expires: budget expired at " + expiresAt));
    }
    for (Map.Entry<Attribute, Patterns> entry : deny.entrySet()) {
      Attribute attribute = entry.getKey();
      String[] values = spend.values(attribute);
      if (entry.getValue().matchesAny(values)) {
        String rule = scope + "/deny/" + attribute.label();
        return Optional.of(
            listDenial(rule, usd, rule + ": " + attribute + " " + values[0] + " is denied"));
      }
    }
    for (Map.Entry<Attribute, Patterns> entry : allow.entrySet()) {
      Attribute attribute = entry.getKey();
      String[] values = spend.values(attribute);
      if (attribute == Attribute.CHAIN && values[0] == null) {
        continue; // off-chain assets are governed by method and asset lists
      }
      if (!entry.getValue().matchesAny(values)) {
        String rule = scope + "/allow/" + attribute.label();
        String what = values[0] == null ? "no " + attribute : attribute + " " + values[0];
        return Optional.of(listDenial(rule, usd, rule + ": " + what + " is not allowed"));
      }
    }
    if (maxPerPaymentUsdMicros != null && spend.usdMicros() > maxPerPaymentUsdMicros) {
      String rule = scope + "/max-per-payment";
      BigDecimal max = Usd.toDecimal(maxPerPaymentUsdMicros);
      return Optional.of(
          new PaymentDeniedException(
              ErrorCode.POLICY_DENIED,
              rule,
              usd,
              max,
              max,
              "usd",
              rule
                  + ": "
                  + Usd.format(spend.usdMicros())
                  + " usd exceeds the maximum of "
                  + Usd.format(maxPerPaymentUsdMicros)
                  + " usd per payment"));
    }
    return Optional.empty();
  }

  private static PaymentDeniedException listDenial(String rule, BigDecimal usd, String message) {
    return new PaymentDeniedException(
        ErrorCode.POLICY_DENIED, rule, usd, null, null, "usd", message);
  }

  /**
   * The ledger limits of this policy's caps for a payment in {@code assetKey}: every all-asset cap
   * and the caps of that asset.
   */
  public List<Limit> limits(Limit.Scope scope, Instant now, String assetKey) {
    List<Limit> limits = new ArrayList<>();
    for (Cap cap : caps) {
      if (cap.assetKey() == null || cap.assetKey().equals(assetKey)) {
        limits.addAll(cap.limits(scope, now));
      }
    }
    return limits;
  }

  @Override
  public String toString() {
    return "Policy[maxPerPayment="
        + (maxPerPaymentUsdMicros == null ? "none" : Usd.format(maxPerPaymentUsdMicros))
        + ", caps="
        + caps.size()
        + ", allow="
        + allow.keySet()
        + ", deny="
        + deny.keySet()
        + ", expires="
        + expiresAt
        + "]";
  }

  /**
   * Builds a {@link Policy}. Amounts are dollars, as strings like {@code "5.00"}. Setters of one
   * value ({@code maxPerPayment}, {@code maxLockable}, {@code expiresAt}, {@code approvalAbove},
   * {@code approvalTimeout}) throw {@link IllegalStateException} when called twice; caps, lists and
   * alert fractions add up.
   */
  public static final class Builder {
    private Long maxPerPaymentUsdMicros;
    private Long maxLockableUsdMicros;
    private final List<Cap> caps = new ArrayList<>();
    private final Map<Attribute, Patterns> allow = new EnumMap<>(Attribute.class);
    private final Map<Attribute, Patterns> deny = new EnumMap<>(Attribute.class);
    private Instant expiresAt;
    private Long approvalAboveUsdMicros;
    private Duration approvalTimeout = DEFAULT_APPROVAL_TIMEOUT;
    private final TreeSet<BigDecimal> alertFractions = new TreeSet<>();
    private final SetOnce assigned = new SetOnce();

    private Builder() {}

    /** Denies any single payment above {@code usd} dollars (e.g. {@code "0.50"}). */
    public Builder maxPerPayment(String usd) {
      return maxPerPaymentUsdMicros(Usd.parse(usd));
    }

    /**
     * Limits what one payment channel (session) may keep locked and unspent to {@code usd} dollars:
     * the most a deposit or top-up can lock (e.g. {@code "2.00"}).
     */
    public Builder maxLockable(String usd) {
      return maxLockableUsdMicros(Usd.parse(usd));
    }

    Builder maxLockableUsdMicros(long micros) {
      assigned.mark("maxLockable");
      this.maxLockableUsdMicros = micros;
      return this;
    }

    Builder maxPerPaymentUsdMicros(long micros) {
      assigned.mark("maxPerPayment");
      this.maxPerPaymentUsdMicros = micros;
      return this;
    }

    Builder approvalAboveUsdMicros(long micros) {
      assigned.mark("approvalAbove");
      this.approvalAboveUsdMicros = micros;
      return this;
    }

    /** Caps the dollars spent per {@code window} (e.g. {@code cap(Window.DAY, "5.00")}). */
    public Builder cap(Window window, String usd) {
      return cap(Cap.usd(window, Usd.parse(usd)));
    }

    /** Caps the number of payments per {@code window}. */
    public Builder maxPayments(Window window, long payments) {
      return cap(Cap.count(window, payments));
    }

    /**
     * Caps the base units of one asset per {@code window}.
     *
     * @param assetKey the asset's key, e.g. {@code
     *     tempo:4217:0x20c0000000000000000000000000000000000000}
     */
    public Builder assetCap(Window window, String assetKey, BigInteger maxUnits) {
      return cap(Cap.units(window, assetKey, maxUnits));
    }

    /** Adds any cap. */
    public Builder cap(Cap cap) {
      caps.add(Objects.requireNonNull(cap, "cap"));
      return this;
    }

    /** Allows only values matching one of {@code patterns} for {@code attribute}. */
    public Builder allow(Attribute attribute, String... patterns) {
      allow.merge(attribute, Patterns.of(Arrays.asList(patterns)), Patterns::plus);
      return this;
    }

    /** Denies values matching any of {@code patterns} for {@code attribute}. */
    public Builder deny(Attribute attribute, String... patterns) {
      deny.merge(attribute, Patterns.of(Arrays.asList(patterns)), Patterns::plus);
      return this;
    }

    /** Pays only origins whose host matches, e.g. {@code "*.example.com", "example.com"}. */
    public Builder allowOrigins(String... hostPatterns) {
      return allow(Attribute.ORIGIN, hostPatterns);
    }

    /** Never pays origins whose host matches. */
    public Builder denyOrigins(String... hostPatterns) {
      return deny(Attribute.ORIGIN, hostPatterns);
    }

    /** Pays only through these methods, e.g. {@code "tempo", "stripe"}. */
    public Builder allowMethods(String... methods) {
      return allow(Attribute.METHOD, methods);
    }

    /** Never pays through these methods. */
    public Builder denyMethods(String... methods) {
      return deny(Attribute.METHOD, methods);
    }

    /** Pays only these recipients. */
    public Builder allowRecipients(String... recipients) {
      return allow(Attribute.RECIPIENT, recipients);
    }

    /** Never pays these recipients. */
    public Builder denyRecipients(String... recipients) {
      return deny(Attribute.RECIPIENT, recipients);
    }

    /** Pays only challenges of these realms. */
    public Builder allowRealms(String... realms) {
      return allow(Attribute.REALM, realms);
    }

    /** Never pays challenges of these realms. */
    public Builder denyRealms(String... realms) {
      return deny(Attribute.REALM, realms);
    }

    /** Pays only these assets (asset keys or currencies). */
    public Builder allowAssets(String... assets) {
      return allow(Attribute.ASSET, assets);
    }

    /** Never pays these assets (asset keys or currencies). */
    public Builder denyAssets(String... assets) {
      return deny(Attribute.ASSET, assets);
    }

    /** Pays on-chain assets only on these chains. */
    public Builder allowChains(long... chainIds) {
      return allow(Attribute.CHAIN, chains(chainIds));
    }

    /** Never pays on these chains. */
    public Builder denyChains(long... chainIds) {
      return deny(Attribute.CHAIN, chains(chainIds));
    }

    private static String[] chains(long... chainIds) {
      return Arrays.stream(chainIds).mapToObj(Long::toString).toArray(String[]::new);
    }

    /** Stops allowing payments at {@code expiresAt}. */
    public Builder expiresAt(Instant expiresAt) {
      Objects.requireNonNull(expiresAt, "expiresAt");
      assigned.mark("expiresAt");
      this.expiresAt = expiresAt;
      return this;
    }

    /** Asks the wallet's approval callback for payments above {@code usd} dollars. */
    public Builder approvalAbove(String usd) {
      return approvalAboveUsdMicros(Usd.parse(usd));
    }

    /** How long the approval callback may take before the payment is denied (default 30 s). */
    public Builder approvalTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "approval timeout must be positive");
      }
      assigned.mark("approvalTimeout");
      this.approvalTimeout = timeout;
      return this;
    }

    /** Tells spend listeners when spend crosses these fractions of a cap, e.g. 0.5, 0.8, 1. */
    public Builder alertAt(BigDecimal... fractions) {
      for (BigDecimal fraction : fractions) {
        if (fraction.signum() <= 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
          throw new ConfigurationException(
              ErrorCode.INVALID_CONFIGURATION,
              "alert fraction " + fraction.toPlainString() + " must be in (0, 1]");
        }
        alertFractions.add(fraction.stripTrailingZeros());
      }
      return this;
    }

    /** {@link #alertAt(BigDecimal...)} in whole percent, e.g. {@code 50, 80, 100}. */
    public Builder alertAtPercent(int... percents) {
      return alertAt(
          Arrays.stream(percents)
              .mapToObj(p -> BigDecimal.valueOf(p, 2))
              .toArray(BigDecimal[]::new));
    }

    /** Builds the immutable policy. */
    public Policy build() {
      return new Policy(this);
    }
  }
}
