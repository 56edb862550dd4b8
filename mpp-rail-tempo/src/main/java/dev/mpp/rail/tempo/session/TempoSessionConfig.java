package dev.mpp.rail.tempo.session;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.evm.chain.EvmAddress;
import java.math.BigInteger;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Configuration of the Tempo session rail.
 *
 * <p>The chain id is required and the escrows are an allowlist: a v1 session's open transaction
 * approves the escrow named in the challenge to take the deposit, so a client that trusted any
 * escrow would hand its deposit to whatever contract a server names. The TIP-1034 precompile is
 * trusted for v2 by default; v1 escrows must be added with {@link Builder#trustEscrow}.
 *
 * <p>Deposits are bounded three ways, whichever is smallest: {@link Builder#maxDeposit} here, the
 * policy's {@code maxLockable}, and what the agent's caps still allow; the server's {@code
 * suggestedDeposit} only ever lowers the result.
 */
public final class TempoSessionConfig {

  private static final BigInteger GWEI = BigInteger.TEN.pow(9);

  private final long chainId;
  private final Set<EvmAddress> assets;
  private final Map<SessionProtocol, Set<EvmAddress>> escrows;
  private final Predicate<EvmAddress> recipientPolicy;
  private final BigInteger maxDeposit;
  private final long openGas;
  private final long topUpGas;
  private final BigInteger maxFeePerGas;
  private final BigInteger maxFeePerGasCap;
  private final BigInteger maxPriorityFeePerGas;
  private final BigInteger maxTotalFee;
  private final EvmAddress feeToken;
  private final Duration validity;
  private final Duration upfrontMargin;
  private final boolean upfrontVouchers;
  private final boolean closeOnShutdown;

  private TempoSessionConfig(Builder b) {
    this.chainId = b.chainId;
    this.assets = Set.copyOf(b.assets);
    Map<SessionProtocol, Set<EvmAddress>> copy = new EnumMap<>(SessionProtocol.class);
    b.escrows.forEach((protocol, set) -> copy.put(protocol, Set.copyOf(set)));
    this.escrows = Map.copyOf(copy);
    this.recipientPolicy = b.recipientPolicy;
    this.maxDeposit = b.maxDeposit;
    this.openGas = b.openGas;
    this.topUpGas = b.topUpGas;
    this.maxFeePerGas = b.maxFeePerGas;
    this.maxFeePerGasCap = b.maxFeePerGasCap;
    this.maxPriorityFeePerGas = b.maxPriorityFeePerGas;
    this.maxTotalFee = b.maxTotalFee;
    this.feeToken = b.feeToken;
    this.validity = b.validity;
    this.upfrontMargin = b.upfrontMargin;
    this.upfrontVouchers = b.upfrontVouchers;
    this.closeOnShutdown = b.closeOnShutdown;
  }

  /**
   * Starts a configuration for {@code chainId} (4217 mainnet, 42431 testnet).
   *
   * @throws ConfigurationException if {@code chainId} is not positive
   */
  public static Builder builder(long chainId) {
    return new Builder(chainId);
  }

  /** The only chain sessions are opened on. */
  public long chainId() {
    return chainId;
  }

  /** The TIP-20 tokens a channel may escrow. */
  public Set<EvmAddress> assets() {
    return assets;
  }

  /** Whether {@code escrow} may hold deposits of {@code protocol} channels. */
  public boolean trusts(SessionProtocol protocol, EvmAddress escrow) {
    return escrows.getOrDefault(protocol, Set.of()).contains(escrow);
  }

  /** Whether the recipient policy allows paying {@code recipient}. */
  public boolean recipientAllowed(EvmAddress recipient) {
    return recipientPolicy.test(recipient);
  }

  /** The most one channel deposit (or the unspent part after a top-up) may be, in base units. */
  public BigInteger maxDeposit() {
    return maxDeposit;
  }

  /**
   * The fixed gas limit of open transactions. Fixed rather than estimated: some nodes (anvil)
   * estimate Tempo transactions without their calls, and an open (approve + open, new storage)
   * costs well over a million gas on Tempo.
   */
  public long openGas() {
    return openGas;
  }

  /** The fixed gas limit of top-up transactions. */
  public long topUpGas() {
    return topUpGas;
  }

  /** A fixed {@code maxFeePerGas}, if configured (otherwise twice the node's gas price). */
  public Optional<BigInteger> maxFeePerGas() {
    return Optional.ofNullable(maxFeePerGas);
  }

  /** The highest {@code maxFeePerGas} ever signed. */
  public BigInteger maxFeePerGasCap() {
    return maxFeePerGasCap;
  }

  /** The priority fee per gas. */
  public BigInteger maxPriorityFeePerGas() {
    return maxPriorityFeePerGas;
  }

  /** The most an open or top-up transaction may cost in fees ({@code gas × maxFeePerGas}). */
  public BigInteger maxTotalFee() {
    return maxTotalFee;
  }

  /** The fee token of open and top-up transactions, if not the channel's token. */
  public Optional<EvmAddress> feeToken() {
    return Optional.ofNullable(feeToken);
  }

  /** How long open and top-up transactions stay valid (bounded by the challenge's expiry). */
  public Duration validity() {
    return validity;
  }

  /** Earlier challenges are reused up front only while they stay valid at least this long. */
  public Duration upfrontMargin() {
    return upfrontMargin;
  }

  /** Whether follow-up requests may send their voucher up front, before any 402. */
  public boolean upfrontVouchers() {
    return upfrontVouchers;
  }

  /** Whether {@link TempoSessionRail#close()} closes the open channels it knows. */
  public boolean closeOnShutdown() {
    return closeOnShutdown;
  }

  @Override
  public String toString() {
    return "TempoSessionConfig[chainId="
        + chainId
        + ", assets="
        + assets.size()
        + ", escrows="
        + escrows
        + ", maxDeposit="
        + maxDeposit
        + "]";
  }

  /** Builds a {@link TempoSessionConfig}. */
  public static final class Builder {
    private final long chainId;
    private final Set<EvmAddress> assets = new LinkedHashSet<>();
    private final Map<SessionProtocol, Set<EvmAddress>> escrows =
        new EnumMap<>(SessionProtocol.class);
    private Predicate<EvmAddress> recipientPolicy = recipient -> true;
    private BigInteger maxDeposit = BigInteger.valueOf(1_000_000);
    private long openGas = 3_000_000;
    private long topUpGas = 2_000_000;
    private BigInteger maxFeePerGas;
    private BigInteger maxFeePerGasCap = GWEI.multiply(BigInteger.valueOf(100));
    private BigInteger maxPriorityFeePerGas = GWEI;
    private BigInteger maxTotalFee = BigInteger.TEN.pow(17);
    private EvmAddress feeToken;
    private Duration validity = Duration.ofSeconds(25);
    private Duration upfrontMargin = Duration.ofSeconds(15);
    private boolean upfrontVouchers = true;
    private boolean closeOnShutdown;

    private Builder(long chainId) {
      if (chainId <= 0) {
        throw invalid("chainId must be positive");
      }
      this.chainId = chainId;
      escrows.put(SessionProtocol.V2, new HashSet<>(Set.of(SessionProtocol.TIP1034_ESCROW)));
    }

    /** Allows channels in {@code token} (a TIP-20 address). */
    public Builder asset(EvmAddress token) {
      assets.add(Objects.requireNonNull(token, "token"));
      return this;
    }

    /** Trusts {@code escrow} to hold deposits of {@code protocol} channels. */
    public Builder trustEscrow(SessionProtocol protocol, EvmAddress escrow) {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(escrow, "escrow");
      escrows.computeIfAbsent(protocol, p -> new HashSet<>()).add(escrow);
      return this;
    }

    /** Restricts payees (default: any). */
    public Builder recipientPolicy(Predicate<EvmAddress> policy) {
      this.recipientPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** The most one channel may keep deposited and unspent, in base units (default 1 token). */
    public Builder maxDeposit(BigInteger units) {
      Objects.requireNonNull(units, "units");
      if (units.signum() <= 0) {
        throw invalid("maxDeposit must be positive");
      }
      this.maxDeposit = units;
      return this;
    }

    /** The gas limit of open transactions (default 3,000,000). */
    public Builder openGas(long gas) {
      if (gas < 100_000) {
        throw invalid("openGas must be at least 100000");
      }
      this.openGas = gas;
      return this;
    }

    /** The gas limit of top-up transactions (default 2,000,000). */
    public Builder topUpGas(long gas) {
      if (gas < 100_000) {
        throw invalid("topUpGas must be at least 100000");
      }
      this.topUpGas = gas;
      return this;
    }

    /** A fixed {@code maxFeePerGas} (default: twice the node's gas price, within the cap). */
    public Builder maxFeePerGas(BigInteger fee) {
      this.maxFeePerGas = positive(fee, "maxFeePerGas");
      return this;
    }

    /** The highest {@code maxFeePerGas} ever signed (default 100 gwei). */
    public Builder maxFeePerGasCap(BigInteger cap) {
      this.maxFeePerGasCap = positive(cap, "maxFeePerGasCap");
      return this;
    }

    /** The priority fee per gas (default 1 gwei). */
    public Builder maxPriorityFeePerGas(BigInteger fee) {
      Objects.requireNonNull(fee, "fee");
      if (fee.signum() < 0) {
        throw invalid("maxPriorityFeePerGas must not be negative");
      }
      this.maxPriorityFeePerGas = fee;
      return this;
    }

    /** The most one open or top-up may cost in fees, in attodollars (default 10^17 = $0.10). */
    public Builder maxTotalFee(BigInteger cap) {
      this.maxTotalFee = positive(cap, "maxTotalFee");
      return this;
    }

    /** Pays transaction fees in {@code token} instead of the channel's token. */
    public Builder feeToken(EvmAddress token) {
      this.feeToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /** How long open and top-up transactions stay valid (default 25 s). */
    public Builder validity(Duration validity) {
      if (validity.isNegative() || validity.isZero() || validity.toSeconds() > 3600) {
        throw invalid("validity must be 1 s to 1 h");
      }
      this.validity = validity;
      return this;
    }

    /** Whether to send vouchers up front on a still-valid earlier challenge (default true). */
    public Builder upfrontVouchers(boolean enabled) {
      this.upfrontVouchers = enabled;
      return this;
    }

    /** How long an earlier challenge must remain valid to be reused up front (default 15 s). */
    public Builder upfrontMargin(Duration margin) {
      if (margin.isNegative()) {
        throw invalid("upfrontMargin must not be negative");
      }
      this.upfrontMargin = margin;
      return this;
    }

    /** Whether closing the rail closes its open channels (default false). */
    public Builder closeOnShutdown(boolean close) {
      this.closeOnShutdown = close;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws ConfigurationException when no asset is configured
     */
    public TempoSessionConfig build() {
      if (assets.isEmpty()) {
        throw invalid("a session rail needs at least one asset");
      }
      return new TempoSessionConfig(this);
    }

    private static BigInteger positive(BigInteger value, String name) {
      Objects.requireNonNull(value, name);
      if (value.signum() <= 0) {
        throw invalid(name + " must be positive");
      }
      return value;
    }

    private static ConfigurationException invalid(String message) {
      return new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION, "tempo session: " + message);
    }
  }
}
