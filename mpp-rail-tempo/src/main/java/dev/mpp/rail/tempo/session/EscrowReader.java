package dev.mpp.rail.tempo.session;

import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.chain.JsonRpcException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads channels back from their escrow over JSON-RPC: to confirm uncertain top-ups and closes, and
 * to learn what became of channels left opening or forgotten by the server.
 */
final class EscrowReader {
  private static final Logger log = LoggerFactory.getLogger(EscrowReader.class);

  private final JsonRpcClient rpc;

  /** Reads through {@code rpc}; without one ({@code null}) nothing can be read. */
  EscrowReader(JsonRpcClient rpc) {
    this.rpc = rpc;
  }

  /** Whether the chain can be read at all. */
  boolean available() {
    return rpc != null;
  }

  /** The channel as its escrow holds it, or empty when it cannot be read. */
  Optional<EscrowChannel> read(ChannelState channel) {
    if (rpc == null) {
      return Optional.empty();
    }
    try {
      if (channel.key().protocol() == SessionProtocol.V1) {
        return Optional.of(
            EscrowCalls.decodeChannelV1(
                rpc.call(channel.key().escrow(), EscrowCalls.getChannelV1(channel.channelId()))));
      }
      return Optional.of(
          EscrowCalls.decodeChannelStateV2(
              rpc.call(
                  channel.key().escrow(), EscrowCalls.getChannelStateV2(channel.channelId()))));
    } catch (JsonRpcException | IllegalArgumentException e) {
      log.debug("cannot read channel {}: {}", channel.channelId(), e.toString());
      return Optional.empty();
    }
  }
}
