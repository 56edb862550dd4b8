package dev.mpp.evm.chain;

import java.util.Objects;

/** Builds {@code did:pkh} identifiers (CAIP-10 accounts) used as a credential's {@code source}. */
public final class DidPkh {

  private DidPkh() {}

  /**
   * Returns {@code did:pkh:eip155:<chainId>:<checksummed address>}.
   *
   * @param chainId the EVM chain id, positive
   */
  public static String eip155(long chainId, EvmAddress address) {
    Objects.requireNonNull(address, "address");
    if (chainId <= 0) {
      throw new IllegalArgumentException("chainId must be positive");
    }
    return "did:pkh:eip155:" + chainId + ":" + address.toChecksumHex();
  }
}
