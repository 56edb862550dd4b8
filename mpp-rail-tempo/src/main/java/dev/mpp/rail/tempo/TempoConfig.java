package dev.mpp.rail.tempo;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Configuration of the Tempo charge rail. The chain id is required: the rail only pays on the chain
 * the user chose, never on one a server suggests.
 *
 * <p>Fee limits default to what a sponsoring {@code mppx} server accepts (gas ≤ 2,000,000, {@code
 * maxFeePerGas} ≤ 100 gwei, {@code maxPriorityFeePerGas} ≤ 10 gwei, gas × fee cap ≤ 5·10^16), which
 * also bounds what the payer can lose to fees. On Tempo, gas prices are quoted in attodollars
 * (10^-18 USD) and fees are paid in a 6-decimal USD stablecoin, so 5·10^16 is $0.05.
 */
public final class TempoConfig {

  /** Tempo mainnet. */
  public static final long MAINNET = 4217;

  /** Tempo testnet (Moderato). */
  public static final long TESTNET = 42431;

  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  private final long chainId;
  private final Set<EvmAddress> assets;
  private final EvmAddress feeToken;
  private final Set<TempoMode> modes;
  private final Predicate<EvmAddress> recipientPolicy;
  private final String clientId;
  private final Duration validity;
  private final Long gasLimit;
  private final long gasFloor;
  private final long gasMargin;
  private final long maxGas;
  private final BigInteger maxFeePerGas;
  private final BigInteger maxPriorityFeePerGas;
  private final BigInteger maxFeePerGasCap;
  private final BigInteger maxPriorityFeePerGasCap;
  private final BigInteger maxTotalFee;
  private final int maxSplits;
  private final Duration receiptTimeout;

  private TempoConfig(Builder b) {
    this.chainId = b.chainId;
    this.assets = Set.copyOf(b.assets);
    this.feeToken = b.feeToken;
    this.modes = Set.copyOf(b.modes);
    this.recipientPolicy = b.recipientPolicy;
    this.clientId = b.clientId;
    this.validity = b.validity;
    this.gasLimit = b.gasLimit;
    this.gasFloor = b.gasFloor;
    this.gasMargin = b.gasMargin;
    this.maxGas = b.maxGas;
    this.maxFeePerGas = b.maxFeePerGas;
    this.maxPriorityFeePerGas = b.maxPriorityFeePerGas;
    this.maxFeePerGasCap = b.maxFeePerGasCap;
    this.maxPriorityFeePerGasCap = b.maxPriorityFeePerGasCap;
    this.maxTotalFee = b.maxTotalFee;
    this.maxSplits = b.maxSplits;
    this.receiptTimeout = b.receiptTimeout;
  }

  /**
   * Starts a configuration for {@code chainId} (e.g. {@link #MAINNET} or {@link #TESTNET}).
   *
   * @throws ConfigurationException if {@code chainId} is not positive
   */
  public static Builder builder(long chainId) {
    return new Builder(chainId);
  }

  /** The only chain this rail pays on. */
  public long chainId() {
    return chainId;
  }

  /** The TIP-20 tokens this rail may pay with. */
  public Set<EvmAddress> assets() {
    return assets;
  }

  /** The fee token when the payer pays fees; empty means "the charged currency". */
  public Optional<EvmAddress> feeToken() {
    return Optional.ofNullable(feeToken);
  }

  /** The settlement modes this rail may use for non-zero charges. */
  public Set<TempoMode> modes() {
    return modes;
  }

  /** Whether payments to {@code recipient} are allowed. */
  public boolean recipientAllowed(EvmAddress recipient) {
    return recipientPolicy.test(recipient);
  }

  /** The application identifier put in attribution memos, if any. */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /** How long a signed transaction stays valid (capped by the challenge's expiry). */
  public Duration validity() {
    return validity;
  }

  /** A fixed gas limit that replaces estimation, if configured. */
  public OptionalLong gasLimit() {
    return gasLimit == null ? OptionalLong.empty() : OptionalLong.of(gasLimit);
  }

  /** The smallest gas limit used after estimation (estimates of some nodes ignore calls). */
  public long gasFloor() {
    return gasFloor;
  }

  /** Gas added to an estimate. */
  public long gasMargin() {
    return gasMargin;
  }

  /** The largest gas limit this rail signs. */
  public long maxGas() {
    return maxGas;
  }

  /** A fixed fee cap per gas that replaces the node's suggestion, if configured. */
  public Optional<BigInteger> maxFeePerGas() {
    return Optional.ofNullable(maxFeePerGas);
  }

  /** A fixed priority fee per gas that replaces the node's suggestion, if configured. */
  public Optional<BigInteger> maxPriorityFeePerGas() {
    return Optional.ofNullable(maxPriorityFeePerGas);
  }

  /** The largest fee cap per gas this rail signs. */
  public BigInteger maxFeePerGasCap() {
    return maxFeePerGasCap;
  }

  /** The largest priority fee per gas this rail signs. */
  public BigInteger maxPriorityFeePerGasCap() {
    return maxPriorityFeePerGasCap;
  }

  /** The largest {@code gas × maxFeePerGas} this rail signs. */
  public BigInteger maxTotalFee() {
    return maxTotalFee;
  }

  /** The most split recipients a request may have. */
  public int maxSplits() {
    return maxSplits;
  }

  /** How long push mode waits for a receipt after broadcasting. */
  public Duration receiptTimeout() {
    return receiptTimeout;
  }

  @Override
  public String toString() {
    return "TempoConfig[chainId=" + chainId + ", assets=" + assets + ", modes=" + modes + "]";
  }

  /** Builds a {@link TempoConfig}. */
  public static final class Builder {
    private final long chainId;
    private final Set<EvmAddress> assets = new LinkedHashSet<>();
    private EvmAddress feeToken;
    private Set<TempoMode> modes = EnumSet.of(TempoMode.PULL);
    private Predicate<EvmAddress> recipientPolicy = recipient -> true;
    private String clientId;
    private Duration validity = Duration.ofSeconds(25);
    private Long gasLimit;
    private long gasFloor;
    private long gasMargin = 5_000;
    private long maxGas = 2_000_000;
    private BigInteger maxFeePerGas;
    private BigInteger maxPriorityFeePerGas;
    private BigInteger maxFeePerGasCap = GWEI.multiply(BigInteger.valueOf(100));
    private BigInteger maxPriorityFeePerGasCap = GWEI.multiply(BigInteger.TEN);
    private BigInteger maxTotalFee = BigInteger.valueOf(50_000_000_000_000_000L);
    private int maxSplits = 10;
    private Duration receiptTimeout = Duration.ofSeconds(40);

    private Builder(long chainId) {
      if (chainId <= 0) {
        throw invalid("chainId must be positive");
      }
      this.chainId = chainId;
    }

    /** Allows paying with the TIP-20 token at {@code token}; call once per token (required). */
    public Builder asset(EvmAddress token) {
      assets.add(Objects.requireNonNull(token, "token"));
      return this;
    }

    /** Pays fees in {@code token} when the server does not sponsor them (default: the currency). */
    public Builder feeToken(EvmAddress token) {
      this.feeToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * Sets the modes this rail may use for non-zero charges (default {@link TempoMode#PULL}); when
     * a server allows several, pull is preferred.
     */
    public Builder modes(TempoMode... modes) {
      Set<TempoMode> set = EnumSet.noneOf(TempoMode.class);
      for (TempoMode mode : modes) {
        if (mode == TempoMode.PROOF) {
          throw invalid("PROOF is not configurable: it is used for zero amounts");
        }
        set.add(mode);
      }
      if (set.isEmpty()) {
        throw invalid("at least one mode is required");
      }
      this.modes = set;
      return this;
    }

    /** Restricts primary and split recipients (default: any). */
    public Builder recipientPolicy(Predicate<EvmAddress> policy) {
      this.recipientPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets the application identifier for attribution memos (default: anonymous). */
    public Builder clientId(String clientId) {
      this.clientId = clientId == null || clientId.isEmpty() ? null : clientId;
      return this;
    }

    /** Sets how long signed transactions stay valid (default 25 s, at most 15 min). */
    public Builder validity(Duration validity) {
      if (validity.compareTo(Duration.ofSeconds(1)) < 0
          || validity.compareTo(Duration.ofMinutes(15)) > 0) {
        throw invalid("validity must be between 1 s and 15 min");
      }
      this.validity = validity;
      return this;
    }

    /** Uses a fixed gas limit instead of {@code eth_estimateGas}. */
    public Builder gasLimit(long gas) {
      if (gas <= 0) {
        throw invalid("gasLimit must be positive");
      }
      this.gasLimit = gas;
      return this;
    }

    /**
     * Sets the smallest gas limit after estimation (default 0). Needed against nodes whose {@code
     * eth_estimateGas} ignores a {@code 0x76} transaction's calls (anvil 1.7 answers a flat
     * 784,000): each transfer to a never-funded address costs about 250,000 gas on Tempo (state
     * creation), so several new recipients can exceed such an estimate.
     */
    public Builder gasFloor(long gas) {
      if (gas < 0) {
        throw invalid("gasFloor must not be negative");
      }
      this.gasFloor = gas;
      return this;
    }

    /** Sets the gas added to an estimate (default 5,000, as mppx's client adds). */
    public Builder gasMargin(long gas) {
      if (gas < 0) {
        throw invalid("gasMargin must not be negative");
      }
      this.gasMargin = gas;
      return this;
    }

    /** Sets the largest gas limit this rail signs (default 2,000,000). */
    public Builder maxGas(long gas) {
      if (gas <= 0) {
        throw invalid("maxGas must be positive");
      }
      this.maxGas = gas;
      return this;
    }

    /** Uses a fixed fee cap per gas instead of the node's suggestion. */
    public Builder maxFeePerGas(BigInteger fee) {
      this.maxFeePerGas = positive(fee, "maxFeePerGas");
      return this;
    }

    /** Uses a fixed priority fee per gas instead of the node's suggestion. */
    public Builder maxPriorityFeePerGas(BigInteger fee) {
      Objects.requireNonNull(fee, "maxPriorityFeePerGas");
      if (fee.signum() < 0) {
        throw invalid("maxPriorityFeePerGas must not be negative");
      }
      this.maxPriorityFeePerGas = fee;
      return this;
    }

    /** Sets the largest fee cap per gas (default 100 gwei). */
    public Builder maxFeePerGasCap(BigInteger cap) {
      this.maxFeePerGasCap = positive(cap, "maxFeePerGasCap");
      return this;
    }

    /** Sets the largest priority fee per gas (default 10 gwei). */
    public Builder maxPriorityFeePerGasCap(BigInteger cap) {
      Objects.requireNonNull(cap, "maxPriorityFeePerGasCap");
      if (cap.signum() < 0) {
        throw invalid("maxPriorityFeePerGasCap must not be negative");
      }
      this.maxPriorityFeePerGasCap = cap;
      return this;
    }

    /** Sets the largest {@code gas × maxFeePerGas} (default 5·10^16, i.e. $0.05 on Tempo). */
    public Builder maxTotalFee(BigInteger cap) {
      this.maxTotalFee = positive(cap, "maxTotalFee");
      return this;
    }

    /** Sets the most split recipients accepted (default 10, as mppx servers allow). */
    public Builder maxSplits(int splits) {
      if (splits < 0) {
        throw invalid("maxSplits must not be negative");
      }
      this.maxSplits = splits;
      return this;
    }

    /** Sets how long push mode waits for a receipt (default 40 s). */
    public Builder receiptTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw invalid("receiptTimeout must be positive");
      }
      this.receiptTimeout = timeout;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws ConfigurationException if no asset is configured or the limits contradict each other
     */
    public TempoConfig build() {
      if (assets.isEmpty()) {
        throw invalid("at least one asset (TIP-20 token) must be configured");
      }
      if (gasLimit != null && gasLimit > maxGas) {
        throw invalid("gasLimit exceeds maxGas");
      }
      if (gasFloor > maxGas) {
        throw invalid("gasFloor exceeds maxGas");
      }
      if (maxFeePerGas != null && maxFeePerGas.compareTo(maxFeePerGasCap) > 0) {
        throw invalid("maxFeePerGas exceeds maxFeePerGasCap");
      }
      if (maxPriorityFeePerGas != null
          && maxPriorityFeePerGas.compareTo(maxPriorityFeePerGasCap) > 0) {
        throw invalid("maxPriorityFeePerGas exceeds maxPriorityFeePerGasCap");
      }
      return new TempoConfig(this);
    }

    private static BigInteger positive(BigInteger value, String name) {
      Objects.requireNonNull(value, name);
      if (value.signum() <= 0) {
        throw invalid(name + " must be positive");
      }
      return value;
    }

    private static ConfigurationException invalid(String message) {
      return new ConfigurationException(ErrorCode.INVALID_CONFIGURATION, "tempo: " + message);
    }
  }
}
