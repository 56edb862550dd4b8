package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.wire.Challenge;
import dev.mpp.rail.tempo.TempoCall;
import dev.mpp.rail.tempo.TempoFees;
import dev.mpp.rail.tempo.TempoTransaction;
import dev.mpp.wallet.rail.Funding;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens channels: sizes and holds the deposit, persists the channel as OPENING (announced to this
 * process's other requests, which wait for the server's answer), and signs the open transaction and
 * the first voucher.
 */
final class ChannelOpener {
  private static final Logger log = LoggerFactory.getLogger(ChannelOpener.class);

  private final SessionSigner signer;
  private final DepositSizing sizing;
  private final Channels channels;
  private final ChannelLedger books;
  private final InFlight opening;
  private final VoucherOutcomes outcomes;
  private final SecureRandom random = new SecureRandom();

  ChannelOpener(
      SessionSigner signer,
      DepositSizing sizing,
      Channels channels,
      ChannelLedger books,
      InFlight opening,
      VoucherOutcomes outcomes) {
    this.signer = signer;
    this.sizing = sizing;
    this.channels = channels;
    this.books = books;
    this.opening = opening;
    this.outcomes = outcomes;
  }

  /** The fee caps of an open transaction; asks the node, so call it without a lock held. */
  TempoFees fees() {
    return signer.openFees();
  }

  /**
   * Opens a channel for {@code key} with fees planned beforehand. Called under the key's lock: it
   * touches only the ledger and the channel store.
   *
   * @return empty when another process opened a channel for the key first
   */
  Optional<SessionAuthorization> open(
      SessionRequest request,
      Challenge challenge,
      PaymentContext context,
      Funding funding,
      ChannelKey key,
      TempoFees fees) {
    BigInteger price = request.amount();
    BigInteger deposit = sizing.deposit(request, funding);
    Bytes32 salt = Bytes32.random(random);
    List<TempoCall> calls = ChannelTransactions.openCalls(request, deposit, salt, signer.account());
    TempoTransaction unsigned = signer.transaction(request, challenge, calls, fees);
    ChannelDescriptor descriptor = descriptor(request, salt, unsigned);
    Bytes32 channelId = descriptor.channelId(request.escrow(), request.chainId());
    PaymentRecord hold =
        books.hold(
            funding,
            context,
            challenge,
            request,
            deposit,
            SessionSigner.feeUnits(request, fees),
            channelId,
            "session deposit (hold)");
    Instant now = channels.now();
    ChannelState state =
        new ChannelState(
            key,
            channelId,
            descriptor,
            deposit,
            price,
            BigInteger.ZERO,
            BigInteger.ZERO,
            List.of(hold.id()),
            ChannelStatus.OPENING,
            context.url().toString(),
            null,
            null,
            null,
            now,
            now,
            0);
    boolean inserted;
    try {
      inserted = channels.store().insert(state);
    } catch (RuntimeException e) {
      books.release(hold, "channel store failed");
      throw ChannelLedger.failure(e);
    }
    if (!inserted) {
      books.release(hold, "another process opened a channel for the same key");
      return Optional.empty();
    }
    opening.start(key);
    try {
      PaymentRecord capture =
          books.capture(funding, context, challenge, state, price, "open voucher " + price);
      TempoTransaction signed = signer.sign(unsigned);
      Voucher voucher = signer.voucher(state, price);
      ObjectNode payload =
          SessionPayloads.open(descriptor, channelId, signed.encodeSigned(), voucher);
      log.debug(
          "opening {} channel {} for {} with deposit {} (price {})",
          request.protocol(),
          channelId,
          key.origin(),
          deposit,
          price);
      return Optional.of(
          new SessionAuthorization(
              outcomes,
              challenge,
              signer.header(challenge, payload),
              payload,
              capture,
              key,
              channelId,
              price,
              true,
              false,
              context));
    } catch (RuntimeException e) {
      // Nothing left the process: abandon the channel and give the deposit back.
      abandonUnsent(state, e);
      throw ChannelLedger.failure(e);
    }
  }

  private ChannelDescriptor descriptor(
      SessionRequest request, Bytes32 salt, TempoTransaction unsigned) {
    return request.protocol() == SessionProtocol.V1
        ? ChannelDescriptor.v1(
            signer.account(), request.recipient(), request.currency(), salt, signer.account())
        : ChannelDescriptor.v2(
            signer.account(),
            request.recipient(),
            request.operator(),
            request.currency(),
            salt,
            signer.account(),
            ChannelTransactions.expiringNonceHash(unsigned, signer.account()));
  }

  private void abandonUnsent(ChannelState state, RuntimeException cause) {
    try {
      ChannelState stored = channels.store().find(state.channelId()).orElse(state);
      channels
          .store()
          .update(stored, stored.next(channels.now()).status(ChannelStatus.CLOSED).build());
      books.reconcile(stored, BigInteger.ZERO, channels.now());
    } catch (RuntimeException e) {
      log.warn("could not abandon unsent channel {}: {}", state.channelId(), e.toString());
    } finally {
      opening.fail(state.key(), cause);
    }
  }
}
