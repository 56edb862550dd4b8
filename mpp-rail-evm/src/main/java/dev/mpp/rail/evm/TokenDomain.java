package dev.mpp.rail.evm;

import java.util.Objects;

/**
 * The {@code name} and {@code version} of a token's EIP-712 domain, e.g. {@code "USD Coin"} /
 * {@code "2"} for USDC on Base. The domain's {@code chainId} and {@code verifyingContract} always
 * come from the challenge and the token address.
 *
 * @param name the domain name the token contract uses
 * @param version the domain version the token contract uses
 */
public record TokenDomain(String name, String version) {

  /** Validates the components. */
  public TokenDomain {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }
}
