package dev.mpp.wallet;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Reserved;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One charge through a {@link Rail}, ledger first: the amount is reserved under every cap, then the
 * rail signs, and whatever the rail does moves the record (released when no money can have moved,
 * unknown when it may have).
 */
final class RailCharge {
  private final LedgerStore ledger;
  private final Clock clock;

  RailCharge(LedgerStore ledger, Clock clock) {
    this.ledger = ledger;
    this.clock = clock;
  }

  /** The record, in state HELD, that paying {@code option} for {@code payer} reserves. */
  static PaymentRecord draft(
      PaymentContext context,
      PayingAgent payer,
      Selection.Option option,
      String rationale,
      Instant at) {
    Challenge challenge = option.challenge;
    Asset asset = option.amount.asset();
    return new PaymentRecord(
        UUID.randomUUID().toString(),
        payer.agent(),
        payer.fleet(),
        at,
        at,
        context.safeUrl(),
        context.origin(),
        challenge.realm(),
        challenge.method(),
        challenge.intent(),
        challenge.id(),
        option.amount.units(),
        asset.currency(),
        asset.chainId(),
        asset.decimals(),
        option.usdMicros,
        option.feeUsdMicros,
        PaymentState.HELD,
        null,
        null,
        rationale,
        null);
  }

  /**
   * Reserves {@code draft} under {@code limits}.
   *
   * @throws PaymentDeniedException when a cap denies it (the caller may try another offer)
   * @throws PaymentFailedException {@code LEDGER_FAILURE} when the store fails
   */
  Reserved reserve(PaymentRecord draft, List<Limit> limits) {
    try {
      return ledger.reserve(draft, limits);
    } catch (MppException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new PaymentFailedException(
          ErrorCode.LEDGER_FAILURE,
          "ledger could not reserve the payment: " + e.getClass().getSimpleName(),
          e);
    }
  }

  /**
   * Lets the rail sign {@code option} for the reserved {@code record}.
   *
   * @return the authorization whose settle, release and markUnknown move {@code record}
   */
  PaymentAuthorization pay(Selection.Option option, PaymentContext context, PaymentRecord record) {
    Rail rail = option.rail;
    RailPayment payment;
    try {
      payment = rail.pay(option.challenge, context);
    } catch (PaymentOutcomeUnknownException e) {
      PaymentRecord unknown = move(record, PaymentState.UNKNOWN, "rail: " + e.getMessage());
      throw new PaymentOutcomeUnknownException(e.getMessage(), unknown, e);
    } catch (MppException e) {
      move(record, PaymentState.RELEASED, "rail failed: " + e.code());
      throw e;
    } catch (RuntimeException e) {
      move(record, PaymentState.RELEASED, "rail failed: " + e.getClass().getSimpleName());
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "rail " + rail.method() + " failed: " + e.getClass().getSimpleName(),
          e);
    } catch (Error e) {
      // Where a push-style rail stopped is unknowable: keep the amount counted.
      move(record, PaymentState.UNKNOWN, "rail raised " + e.getClass().getSimpleName());
      throw e;
    }
    if (payment == null) {
      move(record, PaymentState.RELEASED, "rail returned no payment");
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "rail " + rail.method() + " returned no payment");
    }
    String header;
    try {
      header = Credential.of(option.challenge, payment.payload(), payment.source()).toHeaderValue();
    } catch (RuntimeException e) {
      String reason = "credential could not be encoded: " + e.getClass().getSimpleName();
      if (payment.reference() != null) {
        // The rail already pushed a transaction: money may have moved without a credential.
        PaymentRecord unknown = move(record, PaymentState.UNKNOWN, reason);
        throw new PaymentOutcomeUnknownException(reason, unknown, e);
      }
      move(record, PaymentState.RELEASED, reason);
      throw new PaymentFailedException(ErrorCode.RAIL_FAILED, reason, e);
    }
    return new WalletAuthorization(
        option.challenge,
        rail,
        header,
        payment.reference(),
        payment.label(),
        payment.settled(),
        record,
        ledger,
        clock);
  }

  private PaymentRecord move(PaymentRecord record, PaymentState state, String detail) {
    return WalletAuthorization.transition(ledger, clock, record, state, null, null, detail);
  }
}
