package dev.mpp.rail.tempo.session;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.rail.Funding;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's ledger records. The deposit (and each top-up) is a hold, reserved under every cap;
 * each voucher captures its increment from the holds into its own record (state HELD until the
 * server accepts it, then PAID). All of a channel's records carry the channel id as reference.
 *
 * <p>A voucher the server did not accept stays counted (UNKNOWN): the server holds the signature
 * and could still settle it. When the channel closes, {@link #reconcile} settles the books against
 * what the payee received: captures are marked PAID oldest first up to that amount, the rest
 * RELEASED, and the holds' remainder RELEASED (refunded).
 *
 * <p>Every record lives in the one ledger the rail was built with; a payment whose wallet keeps
 * another ledger is refused, since its caps would be counted in the wrong books.
 */
final class ChannelLedger {
  private static final Logger log = LoggerFactory.getLogger(ChannelLedger.class);
  static final int DECIMALS = 6;

  private final LedgerStore ledger;
  private final Clock clock;

  ChannelLedger(LedgerStore ledger, Clock clock) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.clock = clock;
  }

  /**
   * Refuses a payment funded by a wallet that records in another ledger.
   *
   * @throws ConfigurationException when {@code funding}'s ledger is not this rail's
   */
  void requireSameBooks(Funding funding) {
    if (funding.ledger() != ledger) {
      throw new ConfigurationException(
          ErrorCode.INVALID_CONFIGURATION,
          "tempo session: the rail's ledger is not the wallet's; build the rail with"
              + " .ledger(<the wallet's ledger>)");
    }
  }

  static Asset asset(SessionRequest request) {
    return new Asset("tempo", request.currency().toLowerHex(), request.chainId(), DECIMALS);
  }

  static Asset asset(ChannelKey key) {
    return new Asset("tempo", key.token().toLowerHex(), key.chainId(), DECIMALS);
  }

  /**
   * Reserves a hold of {@code amount} under every cap of the funding's agent and fleet.
   *
   * @param feeUnits the worst-case network fee of the transaction that locks the amount, in base
   *     units of a 6-decimal USD fee token (zero when the server sponsors it): recorded as the
   *     record's fee estimate, like a charge's, not counted against caps
   */
  PaymentRecord hold(
      Funding funding,
      PaymentContext context,
      Challenge challenge,
      SessionRequest request,
      BigInteger amount,
      BigInteger feeUnits,
      Bytes32 channelId,
      String detail) {
    Instant at = funding.now();
    Money money = new Money(amount, asset(request));
    long feeUsdMicros =
        feeUnits.signum() == 0 ? 0 : funding.usdMicros(new Money(feeUnits, asset(request)));
    PaymentRecord draft =
        draft(
            funding,
            context,
            challenge,
            money,
            funding.usdMicros(money),
            feeUsdMicros,
            channelId,
            detail,
            at);
    return ledger.reserve(draft, funding.limits(money.asset(), at)).record();
  }

  /** Captures {@code amount} from the channel's holds into a new record for this request. */
  PaymentRecord capture(
      Funding funding,
      PaymentContext context,
      Challenge challenge,
      ChannelState channel,
      BigInteger amount,
      String detail) {
    Instant at = funding.now();
    Money money = new Money(amount, asset(channel.key()));
    PaymentRecord draft =
        draft(funding, context, challenge, money, 0, 0, channel.channelId(), detail, at);
    return ledger.capture(channel.holdIds(), draft);
  }

  private static PaymentRecord draft(
      Funding funding,
      PaymentContext context,
      Challenge challenge,
      Money money,
      long usdMicros,
      long feeUsdMicros,
      Bytes32 channelId,
      String detail,
      Instant at) {
    return new PaymentRecord(
        UUID.randomUUID().toString(),
        funding.agent(),
        funding.fleet(),
        at,
        at,
        context.safeUrl(),
        context.origin(),
        challenge.realm(),
        challenge.method(),
        challenge.intent(),
        challenge.id(),
        money.units(),
        money.asset().currency(),
        money.asset().chainId(),
        money.asset().decimals(),
        usdMicros,
        feeUsdMicros,
        PaymentState.HELD,
        channelId == null ? null : channelId.toHex(),
        null,
        funding.rationale(),
        detail);
  }

  /**
   * Settles a closed (or vanished) channel's records against {@code settled}, what the payee
   * received in total, and releases what is left of its holds.
   *
   * @param settled what the payee received, or null when unknown (then nothing is released: the
   *     records stay counted until reconciled by hand)
   */
  void reconcile(ChannelState channel, BigInteger settled, Instant at) {
    if (settled == null) {
      log.warn(
          "channel {}: settled amount unknown; its ledger records stay counted",
          channel.channelId());
      return;
    }
    Set<String> holds = new HashSet<>(channel.holdIds());
    String reference = channel.channelId().toHex();
    List<PaymentRecord> captures = new ArrayList<>();
    BigInteger paid = BigInteger.ZERO;
    LedgerQuery query =
        new LedgerQuery(
            channel.key().agent(), null, channel.createdAt().minusSeconds(1), null, null, 0);
    for (PaymentRecord record : ledger.query(query)) {
      if (!reference.equals(record.reference()) || holds.contains(record.id())) {
        continue;
      }
      if (record.state() == PaymentState.PAID) {
        paid = paid.add(record.amount());
      } else if (record.state() == PaymentState.HELD || record.state() == PaymentState.UNKNOWN) {
        captures.add(record);
      }
    }
    captures.sort(Comparator.comparing(PaymentRecord::createdAt));
    BigInteger remaining = settled.subtract(paid);
    for (PaymentRecord capture : captures) {
      if (remaining.compareTo(capture.amount()) >= 0) {
        remaining = remaining.subtract(capture.amount());
        ledger.transition(
            capture.id(),
            PaymentState.PAID,
            reference,
            null,
            "settled when the channel closed at " + settled,
            at);
      } else {
        ledger.transition(
            capture.id(),
            PaymentState.RELEASED,
            null,
            null,
            "not settled: the channel closed at " + settled,
            at);
      }
    }
    if (remaining.signum() > 0) {
      log.warn(
          "channel {}: the payee received {} more than the vouchers this ledger captured",
          channel.channelId(),
          remaining);
    }
    for (String hold : channel.holdIds()) {
      ledger.transition(
          hold,
          PaymentState.RELEASED,
          reference,
          null,
          "channel closed; unspent deposit refunded",
          at);
    }
  }

  /**
   * What a failure to record becomes: a payment exception stays what it is; anything else (a
   * store's runtime failure) is a {@link ErrorCode#LEDGER_FAILURE}.
   */
  static RuntimeException failure(RuntimeException e) {
    if (e instanceof MppException) {
      return e;
    }
    return new PaymentFailedException(
        ErrorCode.LEDGER_FAILURE,
        "tempo session: recording failed: " + e.getClass().getSimpleName(),
        e);
  }

  /** Releases {@code record} (nothing of it was sent or signed). */
  void release(PaymentRecord record, String why) {
    transition(record, PaymentState.RELEASED, null, null, why);
  }

  /**
   * Moves {@code record} to {@code state}; a ledger failure is logged and the record returned as it
   * was, since the payment itself already happened (or not) by then.
   */
  PaymentRecord transition(
      PaymentRecord record, PaymentState state, String reference, String receipt, String detail) {
    try {
      return ledger.transition(record.id(), state, reference, receipt, detail, now());
    } catch (RuntimeException e) {
      log.error(
          "ledger could not move {} to {}: {}; it stays {}",
          record.id(),
          state,
          e.getClass().getName(),
          record.state());
      return record;
    }
  }

  /** {@code record} as the ledger holds it now. */
  PaymentRecord current(PaymentRecord record) {
    return ledger.find(record.id()).orElse(record);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
