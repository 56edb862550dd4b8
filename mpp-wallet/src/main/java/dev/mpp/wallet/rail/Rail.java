package dev.mpp.wallet.rail;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Problem;
import java.util.List;

/**
 * One way to pay: a payment method (and the intents it supports) with its own keys, assets and fee
 * model. The wallet asks every rail for a {@link Quote}, applies its policy and the cheapest
 * choice, and lets the chosen rail {@link #pay} only after the amount is reserved.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@link #quote} never signs, never moves money, and never throws for a challenge it cannot
 *       pay: it returns {@link Quote.Unsupported} with the reason.
 *   <li>{@link #pay} validates the request again before signing; a request it refuses gives {@link
 *       PaymentRefusedException} ({@code UNSUPPORTED_REQUEST}).
 *   <li>A failure of {@link #pay} that cannot have moved money is a {@link PaymentFailedException}
 *       (or any exception other than the next): the wallet releases the reservation. A failure
 *       after money may have moved (e.g. a broadcast transaction that never confirmed) must be a
 *       {@link PaymentOutcomeUnknownException}: the wallet keeps it counted.
 *   <li>Implementations are thread-safe; {@code toString()} never shows keys.
 * </ul>
 */
public interface Rail {

  /** The payment method this rail pays, e.g. {@code tempo}. */
  String method();

  /** The intents this rail pays, e.g. {@code charge}. */
  List<String> intents();

  /**
   * Whether and at what cost this rail can pay {@code challenge}: checks method, intent, asset
   * allowlist and chain, and estimates the rail's own fee.
   */
  Quote quote(Challenge challenge);

  /**
   * Signs (and for push-style methods, broadcasts) the payment for {@code challenge}.
   *
   * @return the credential payload and optional source DID
   */
  RailPayment pay(Challenge challenge, PaymentContext context);

  /**
   * Whether the server's answer {@code httpStatus} (neither a success nor a {@code 402}) to a
   * credential this rail produced proves that nothing settled, so that the wallet releases the
   * reservation instead of keeping it counted as unknown. Only a method whose specification says so
   * may answer true (card/charge: {@code 409}, the earlier attempt with this credential failed).
   * The default, false, is the safe side.
   *
   * @param httpStatus the response status
   * @param problem the problem details, or null when the server sent none
   */
  default boolean provesNoSettlement(int httpStatus, Problem problem) {
    return false;
  }

  /** The {@code Accept-Payment} ranges this rail can pay. */
  default List<AcceptPayment.Range> acceptRanges() {
    return intents().stream().map(intent -> AcceptPayment.Range.of(method(), intent)).toList();
  }
}
