package dev.mpp.rail.evm;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.wallet.Asset;
import java.util.Objects;
import java.util.Optional;

/**
 * An EIP-3009 token the EVM rail may pay with: its chain, address, decimals and where the name and
 * version of its EIP-712 domain come from. Only configured tokens are ever paid: a challenge naming
 * any other currency is refused, so a server cannot make the wallet sign for an arbitrary contract.
 */
public final class EvmToken {
  /** The EVM method's asset namespace. */
  static final String METHOD = "evm";

  private final long chainId;
  private final EvmAddress address;
  private final int decimals;
  private final TokenDomain domain;

  private EvmToken(long chainId, EvmAddress address, int decimals, TokenDomain domain) {
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive");
    }
    if (decimals < 0 || decimals > 36) {
      throw new IllegalArgumentException("decimals must be 0 to 36");
    }
    this.chainId = chainId;
    this.address = Objects.requireNonNull(address, "address");
    this.decimals = decimals;
    this.domain = domain;
  }

  /**
   * A token whose EIP-712 domain name and version are given here.
   *
   * @param address the token contract, {@code 0x}-prefixed (EIP-55 checked when mixed case)
   * @param domain the contract's EIP-712 {@code name} and {@code version}
   */
  public static EvmToken of(long chainId, String address, int decimals, TokenDomain domain) {
    return new EvmToken(
        chainId, EvmAddress.parse(address), decimals, Objects.requireNonNull(domain, "domain"));
  }

  /**
   * A token whose EIP-712 domain is read from the contract itself through EIP-5267 ({@code
   * eip712Domain()}) over the chain's JSON-RPC endpoint, once, before its first payment.
   */
  public static EvmToken withOnChainDomain(long chainId, String address, int decimals) {
    return new EvmToken(chainId, EvmAddress.parse(address), decimals, null);
  }

  /** Native USDC on Base (chain 8453): domain {@code "USD Coin"} / {@code "2"}, 6 decimals. */
  public static EvmToken usdcOnBase() {
    return of(
        8453, "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", 6, new TokenDomain("USD Coin", "2"));
  }

  /** USDC on Ethereum mainnet (chain 1): domain {@code "USD Coin"} / {@code "2"}, 6 decimals. */
  public static EvmToken usdcOnEthereum() {
    return of(1, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48", 6, new TokenDomain("USD Coin", "2"));
  }

  /** The chain the token lives on. */
  public long chainId() {
    return chainId;
  }

  /** The token contract. */
  public EvmAddress address() {
    return address;
  }

  /** Decimals of one whole token. */
  public int decimals() {
    return decimals;
  }

  /** The configured EIP-712 domain, or empty when it is read from the chain. */
  public Optional<TokenDomain> domain() {
    return Optional.ofNullable(domain);
  }

  /** The asset amounts of this token are counted in: {@code evm:<chainId>:<address>}. */
  public Asset asset() {
    return new Asset(METHOD, address.toLowerHex(), chainId, decimals);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvmToken other
        && chainId == other.chainId
        && address.equals(other.address)
        && decimals == other.decimals
        && Objects.equals(domain, other.domain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(chainId, address, decimals, domain);
  }

  @Override
  public String toString() {
    return "EvmToken[" + asset() + (domain == null ? ", domain from chain" : ", " + domain) + "]";
  }
}
