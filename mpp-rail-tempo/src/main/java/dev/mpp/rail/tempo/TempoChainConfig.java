package dev.mpp.rail.tempo;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What both Tempo rails ({@link TempoChargeRail} and the session rail) are configured with: the
 * chain, the tokens, the payees, how long a signed transaction stays valid, and the fee limits of
 * every transaction they sign. One set of defaults serves both:
 *
 * <ul>
 *   <li>{@code validity} 25 s, at most 15 min (what a sponsoring {@code mppx} server accepts);
 *   <li>{@code maxFeePerGas}: unset, so twice the node's gas price plus the priority fee, never
 *       above {@code maxFeePerGasCap} (100 gwei);
 *   <li>{@code maxPriorityFeePerGas}: unset, so the node's suggestion (zero when it has none),
 *       never above {@code maxPriorityFeePerGasCap} (10 gwei);
 *   <li>{@code maxTotalFee} ({@code gas × maxFeePerGas}) 10^17, i.e. $0.10: on Tempo gas prices are
 *       quoted in attodollars (10^-18 USD) and fees are paid in a 6-decimal USD stablecoin. This is
 *       the smallest round budget under which a session's open (3,000,000 gas) still pays the
 *       chain's going price (about 21 gwei, so 6.3·10^16); the charge rail's transactions are
 *       bounded by the 100 gwei cap well before it unless they need more than 1,000,000 gas.
 * </ul>
 *
 * <p>The chain id is required: a rail only pays on the chain the user chose, never on one a server
 * suggests.
 */
public abstract class TempoChainConfig {

  /** Tempo mainnet. */
  public static final long MAINNET = 4217;

  /** Tempo testnet (Moderato). */
  public static final long TESTNET = 42431;

  static final BigInteger GWEI = BigInteger.TEN.pow(9);

  private final long chainId;
  private final Set<EvmAddress> assets;
  private final EvmAddress feeToken;
  private final Predicate<EvmAddress> recipientPolicy;
  private final Duration validity;
  private final BigInteger maxFeePerGas;
  private final BigInteger maxPriorityFeePerGas;
  private final BigInteger maxFeePerGasCap;
  private final BigInteger maxPriorityFeePerGasCap;
  private final BigInteger maxTotalFee;

  /** Copies the shared settings of a validated builder. */
  protected TempoChainConfig(Builder<?> b) {
    this.chainId = b.chainId;
    this.assets = Set.copyOf(b.assets);
    this.feeToken = b.feeToken;
    this.recipientPolicy = b.recipientPolicy;
    this.validity = b.validity;
    this.maxFeePerGas = b.maxFeePerGas;
    this.maxPriorityFeePerGas = b.maxPriorityFeePerGas;
    this.maxFeePerGasCap = b.maxFeePerGasCap;
    this.maxPriorityFeePerGasCap = b.maxPriorityFeePerGasCap;
    this.maxTotalFee = b.maxTotalFee;
  }

  /** The only chain the rail pays on. */
  public long chainId() {
    return chainId;
  }

  /** The TIP-20 tokens the rail may pay with. */
  public Set<EvmAddress> assets() {
    return assets;
  }

  /** The fee token when the payer pays fees; empty means "the paid token". */
  public Optional<EvmAddress> feeToken() {
    return Optional.ofNullable(feeToken);
  }

  /** Whether payments to {@code recipient} are allowed. */
  public boolean recipientAllowed(EvmAddress recipient) {
    return recipientPolicy.test(recipient);
  }

  /** How long a signed transaction stays valid (capped by the challenge's expiry). */
  public Duration validity() {
    return validity;
  }

  /** A fixed fee cap per gas that replaces twice the node's gas price, if configured. */
  public Optional<BigInteger> maxFeePerGas() {
    return Optional.ofNullable(maxFeePerGas);
  }

  /** A fixed priority fee per gas that replaces the node's suggestion, if configured. */
  public Optional<BigInteger> maxPriorityFeePerGas() {
    return Optional.ofNullable(maxPriorityFeePerGas);
  }

  /** The largest fee cap per gas the rail signs. */
  public BigInteger maxFeePerGasCap() {
    return maxFeePerGasCap;
  }

  /** The largest priority fee per gas the rail signs. */
  public BigInteger maxPriorityFeePerGasCap() {
    return maxPriorityFeePerGasCap;
  }

  /** The largest {@code gas × maxFeePerGas} of one transaction the rail signs, in attodollars. */
  public BigInteger maxTotalFee() {
    return maxTotalFee;
  }

  /**
   * The {@code validBefore} of a transaction signed at {@code now} for {@code challenge}: {@code
   * now + validity}, but never after the challenge expires.
   *
   * @throws PaymentRefusedException with {@link ErrorCode#CHALLENGE_EXPIRED} when the challenge has
   *     expired
   */
  public long validBefore(Challenge challenge, Instant now) {
    long validBefore = now.getEpochSecond() + validity.toSeconds();
    Optional<Instant> expires = challenge.expires();
    if (expires.isPresent()) {
      validBefore = Math.min(validBefore, expires.get().getEpochSecond());
    }
    if (validBefore <= now.getEpochSecond()) {
      throw new PaymentRefusedException(
          ErrorCode.CHALLENGE_EXPIRED, "tempo: challenge " + challenge.id() + " has expired");
    }
    return validBefore;
  }

  /**
   * The settings both Tempo rails share, with their defaults.
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class Builder<B extends Builder<B>> {
    private final long chainId;
    private final Set<EvmAddress> assets = new LinkedHashSet<>();
    private EvmAddress feeToken;
    private Predicate<EvmAddress> recipientPolicy = recipient -> true;
    private Duration validity = Duration.ofSeconds(25);
    private BigInteger maxFeePerGas;
    private BigInteger maxPriorityFeePerGas;
    private BigInteger maxFeePerGasCap = GWEI.multiply(BigInteger.valueOf(100));
    private BigInteger maxPriorityFeePerGasCap = GWEI.multiply(BigInteger.TEN);
    private BigInteger maxTotalFee = BigInteger.TEN.pow(17);

    /**
     * Starts the settings for {@code chainId}.
     *
     * @throws ConfigurationException if {@code chainId} is not positive
     */
    protected Builder(long chainId) {
      if (chainId <= 0) {
        throw invalid("chainId must be positive");
      }
      this.chainId = chainId;
    }

    /** This builder, as its concrete type. */
    protected abstract B self();

    /** Allows paying with the TIP-20 token at {@code token}; call once per token (required). */
    public B asset(EvmAddress token) {
      assets.add(Objects.requireNonNull(token, "token"));
      return self();
    }

    /**
     * Pays fees in {@code token} when the server does not sponsor them (default: the token paid).
     */
    public B feeToken(EvmAddress token) {
      this.feeToken = Objects.requireNonNull(token, "token");
      return self();
    }

    /** Restricts primary and split recipients (default: any). */
    public B recipientPolicy(Predicate<EvmAddress> policy) {
      this.recipientPolicy = Objects.requireNonNull(policy, "policy");
      return self();
    }

    /** Sets how long signed transactions stay valid (default 25 s, at most 15 min). */
    public B validity(Duration validity) {
      Objects.requireNonNull(validity, "validity");
      if (validity.compareTo(Duration.ofSeconds(1)) < 0
          || validity.compareTo(Duration.ofMinutes(15)) > 0) {
        throw invalid("validity must be between 1 s and 15 min");
      }
      this.validity = validity;
      return self();
    }

    /** Uses a fixed fee cap per gas instead of twice the node's gas price. */
    public B maxFeePerGas(BigInteger fee) {
      this.maxFeePerGas = positive(fee, "maxFeePerGas");
      return self();
    }

    /** Uses a fixed priority fee per gas instead of the node's suggestion. */
    public B maxPriorityFeePerGas(BigInteger fee) {
      this.maxPriorityFeePerGas = notNegative(fee, "maxPriorityFeePerGas");
      return self();
    }

    /** Sets the largest fee cap per gas (default 100 gwei). */
    public B maxFeePerGasCap(BigInteger cap) {
      this.maxFeePerGasCap = positive(cap, "maxFeePerGasCap");
      return self();
    }

    /** Sets the largest priority fee per gas (default 10 gwei). */
    public B maxPriorityFeePerGasCap(BigInteger cap) {
      this.maxPriorityFeePerGasCap = notNegative(cap, "maxPriorityFeePerGasCap");
      return self();
    }

    /** Sets the largest {@code gas × maxFeePerGas} (default 10^17, i.e. $0.10 on Tempo). */
    public B maxTotalFee(BigInteger cap) {
      this.maxTotalFee = positive(cap, "maxTotalFee");
      return self();
    }

    /**
     * Checks the shared settings; a subclass calls it first in its {@code build()}.
     *
     * @throws ConfigurationException if no asset is configured or the fee limits contradict each
     *     other
     */
    protected void validate() {
      if (assets.isEmpty()) {
        throw invalid("at least one asset (TIP-20 token) must be configured");
      }
      if (maxFeePerGas != null && maxFeePerGas.compareTo(maxFeePerGasCap) > 0) {
        throw invalid("maxFeePerGas exceeds maxFeePerGasCap");
      }
      if (maxPriorityFeePerGas != null
          && maxPriorityFeePerGas.compareTo(maxPriorityFeePerGasCap) > 0) {
        throw invalid("maxPriorityFeePerGas exceeds maxPriorityFeePerGasCap");
      }
    }

    private static BigInteger positive(BigInteger value, String name) {
      Objects.requireNonNull(value, name);
      if (value.signum() <= 0) {
        throw invalid(name + " must be positive");
      }
      return value;
    }

    private static BigInteger notNegative(BigInteger value, String name) {
      Objects.requireNonNull(value, name);
      if (value.signum() < 0) {
        throw invalid(name + " must not be negative");
      }
      return value;
    }

    /** A configuration error with the rails' common prefix. */
    protected static ConfigurationException invalid(String message) {
      return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, "tempo: " + message);
    }
  }
}
