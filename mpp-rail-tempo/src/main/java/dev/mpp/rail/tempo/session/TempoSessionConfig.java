package dev.mpp.rail.tempo.session;

import dev.mpp.client.ConfigurationException;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.rail.tempo.TempoChainConfig;
import java.math.BigInteger;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Configuration of the Tempo session rail: the settings every Tempo rail shares ({@link
 * TempoChainConfig}: chain, tokens, payees, validity, fee limits and their defaults) plus the
 * escrows, deposit bounds, the fixed gas of open and top-up transactions and up-front vouchers.
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
public final class TempoSessionConfig extends TempoChainConfig {

  private final Map<SessionProtocol, Set<EvmAddress>> escrows;
  private final BigInteger maxDeposit;
  private final long openGas;
  private final long topUpGas;
  private final Duration upfrontMargin;
  private final boolean upfrontVouchers;
  private final boolean closeOnShutdown;

  private TempoSessionConfig(Builder b) {
    super(b);
    Map<SessionProtocol, Set<EvmAddress>> copy = new EnumMap<>(SessionProtocol.class);
    b.escrows.forEach((protocol, set) -> copy.put(protocol, Set.copyOf(set)));
    this.escrows = Map.copyOf(copy);
    this.maxDeposit = b.maxDeposit;
    this.openGas = b.openGas;
    this.topUpGas = b.topUpGas;
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

  /** Whether {@code escrow} may hold deposits of {@code protocol} channels. */
  public boolean trusts(SessionProtocol protocol, EvmAddress escrow) {
    return escrows.getOrDefault(protocol, Set.of()).contains(escrow);
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
        + chainId()
        + ", assets="
        + assets().size()
        + ", escrows="
        + escrows
        + ", maxDeposit="
        + maxDeposit
        + "]";
  }

  /** Builds a {@link TempoSessionConfig}. */
  public static final class Builder extends TempoChainConfig.Builder<Builder> {
    private final Map<SessionProtocol, Set<EvmAddress>> escrows =
        new EnumMap<>(SessionProtocol.class);
    private BigInteger maxDeposit = BigInteger.valueOf(1_000_000);
    private long openGas = 3_000_000;
    private long topUpGas = 2_000_000;
    private Duration upfrontMargin = Duration.ofSeconds(15);
    private boolean upfrontVouchers = true;
    private boolean closeOnShutdown;

    private Builder(long chainId) {
      super(chainId);
      escrows.put(SessionProtocol.V2, new HashSet<>(Set.of(SessionProtocol.TIP1034_ESCROW)));
    }

    @Override
    protected Builder self() {
      return this;
    }

    /** Trusts {@code escrow} to hold deposits of {@code protocol} channels. */
    public Builder trustEscrow(SessionProtocol protocol, EvmAddress escrow) {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(escrow, "escrow");
      escrows.computeIfAbsent(protocol, p -> new HashSet<>()).add(escrow);
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
     * @throws ConfigurationException when no asset is configured or the fee limits contradict each
     *     other
     */
    public TempoSessionConfig build() {
      validate();
      return new TempoSessionConfig(this);
    }
  }
}
