package dev.mpp.rail.lightning.node;

import dev.mpp.rail.lightning.bolt11.Network;
import java.util.Objects;

/**
 * What a node says about itself.
 *
 * @param network the chain it runs on
 * @param pubkey its 33-byte identity key, lower-case hex
 */
public record NodeInfo(Network network, String pubkey) {
  /** Validates the fields. */
  public NodeInfo {
    Objects.requireNonNull(network, "network");
    if (pubkey == null || !pubkey.matches("0[23][0-9a-f]{64}")) {
      throw new IllegalArgumentException("pubkey must be a compressed public key in hex");
    }
  }
}
