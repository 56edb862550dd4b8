package dev.mpp.rail.tempo;

import dev.mpp.client.ConfigurationException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Configuration of the Tempo charge rail: the settings every Tempo rail shares ({@link
 * TempoChainConfig}: chain, tokens, payees, validity, fee limits and their defaults) plus how
 * charge transactions are settled (modes), sized (gas) and attributed (client id).
 *
 * <p>Gas limits default to what a sponsoring {@code mppx} server accepts (gas ≤ 2,000,000), which
 * with the shared fee caps also bounds what the payer can lose to fees.
 */
public final class TempoConfig extends TempoChainConfig {

  private final Set<TempoMode> modes;
  private final String clientId;
  private final Long gasLimit;
  private final long gasFloor;
  private final long gasMargin;
  private final long maxGas;
  private final int maxSplits;
  private final Duration receiptTimeout;

  private TempoConfig(Builder b) {
    super(b);
    this.modes = Set.copyOf(b.modes);
    this.clientId = b.clientId;
    this.gasLimit = b.gasLimit;
    this.gasFloor = b.gasFloor;
    this.gasMargin = b.gasMargin;
    this.maxGas = b.maxGas;
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

  /** The settlement modes this rail may use for non-zero charges. */
  public Set<TempoMode> modes() {
    return modes;
  }

  /** The application identifier put in attribution memos, if any. */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
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
    return "TempoConfig[chainId=" + chainId() + ", assets=" + assets() + ", modes=" + modes + "]";
  }

  /** Builds a {@link TempoConfig}. */
  public static final class Builder extends TempoChainConfig.Builder<Builder> {
    private Set<TempoMode> modes = EnumSet.of(TempoMode.PULL);
    private String clientId;
    private Long gasLimit;
    private long gasFloor;
    private long gasMargin = 5_000;
    private long maxGas = 2_000_000;
    private int maxSplits = 10;
    private Duration receiptTimeout = Duration.ofSeconds(40);

    private Builder(long chainId) {
      super(chainId);
    }

    @Override
    protected Builder self() {
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

    /** Sets the application identifier for attribution memos (default: anonymous). */
    public Builder clientId(String clientId) {
      this.clientId = clientId == null || clientId.isEmpty() ? null : clientId;
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
      validate();
      if (gasLimit != null && gasLimit > maxGas) {
        throw invalid("gasLimit exceeds maxGas");
      }
      if (gasFloor > maxGas) {
        throw invalid("gasFloor exceeds maxGas");
      }
      return new TempoConfig(this);
    }
  }
}
