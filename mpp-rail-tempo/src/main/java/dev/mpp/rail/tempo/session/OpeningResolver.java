package dev.mpp.rail.tempo.session;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides what became of a channel left OPENING by another process or an earlier run (this
 * process's own opens are waited for instead): the escrow, when it can be read, tells whether the
 * open transaction reached the chain.
 */
final class OpeningResolver {

  private final TempoSessionConfig config;
  private final EscrowReader escrow;
  private final Channels channels;
  private final ChannelCloser closer;

  OpeningResolver(
      TempoSessionConfig config, EscrowReader escrow, Channels channels, ChannelCloser closer) {
    this.config = config;
    this.escrow = escrow;
    this.channels = channels;
    this.closer = closer;
  }

  /**
   * Decides what became of a channel left OPENING by another process or an earlier run: on chain
   * and usable → OPEN; not on chain once its open transaction can no longer be mined → abandoned;
   * otherwise waits a little for the caller to look again. Reads the chain: call it without a lock.
   */
  void resolve(ChannelState channel, long deadline) {
    Optional<EscrowChannel> onChain = escrow.read(channel);
    if (onChain.isPresent() && onChain.get().usable()) {
      markOpen(channel);
      return;
    }
    if (onChain.isPresent() && onChain.get().finalized()) {
      closer.forget(channel.channelId(), "finalized on chain while opening");
      return;
    }
    Instant expired = channel.updatedAt().plus(config.validity()).plusSeconds(5);
    if (!escrow.available()) {
      // Without chain access assume it opened; a server that does not know it answers 410.
      markOpen(channel);
      return;
    }
    if (channels.now().isAfter(expired)) {
      closer.forget(channel.channelId(), "open transaction expired without reaching the chain");
      return;
    }
    if (System.nanoTime() > deadline) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo session: channel " + channel.channelId() + " is opening");
    }
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: interrupted");
    }
  }

  private void markOpen(ChannelState channel) {
    channels.update(
        channel.channelId(),
        state -> {
          ChannelState.Builder next = state.next(channels.now());
          // Unlocked: never reopen a channel that was forgotten or closed meanwhile.
          if (state.status() == ChannelStatus.OPENING) {
            next.status(ChannelStatus.OPEN);
          }
          return next.build();
        });
  }
}
