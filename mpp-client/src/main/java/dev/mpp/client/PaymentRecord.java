package dev.mpp.client;

import dev.mpp.client.wire.Receipt;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The ledger's record of one payment: what was paid, to whom, in which state, why this offer was
 * chosen, and the server's receipt. HTTP adapters return it next to the response.
 *
 * @param id the ledger id
 * @param agent the agent that paid
 * @param fleet the fleet the agent belongs to, or null
 * @param createdAt when the amount was reserved
 * @param updatedAt when the state last changed
 * @param url the URL that was paid for
 * @param origin the origin ({@code scheme://host:port}) that issued the challenge
 * @param realm the challenge's realm
 * @param method the payment method
 * @param intent the payment intent
 * @param challengeId the challenge id
 * @param amount the amount in the asset's base units
 * @param currency the asset: ISO code or token address
 * @param chainId the chain id for on-chain assets, or null
 * @param decimals the asset's decimals
 * @param usdMicros the amount normalized to micro-dollars
 * @param feeUsdMicros the rail's estimated fee in micro-dollars
 * @param state the ledger state
 * @param reference the settlement reference (receipt reference, tx hash), or null
 * @param receiptHeader the raw {@code Payment-Receipt} value, or null
 * @param rationale why this offer was chosen and why the others were not
 * @param detail the last outcome note (problem type, failure reason), or null
 */
public record PaymentRecord(
    String id,
    String agent,
    String fleet,
    Instant createdAt,
    Instant updatedAt,
    String url,
    String origin,
    String realm,
    String method,
    String intent,
    String challengeId,
    BigInteger amount,
    String currency,
    Long chainId,
    int decimals,
    long usdMicros,
    long feeUsdMicros,
    PaymentState state,
    String reference,
    String receiptHeader,
    String rationale,
    String detail) {

  /** Validates the required components. */
  public PaymentRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(intent, "intent");
    Objects.requireNonNull(challengeId, "challengeId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(state, "state");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
  }

  /** The amount in US dollars. */
  public BigDecimal usd() {
    return BigDecimal.valueOf(usdMicros, 6);
  }

  /** The amount in whole units of the asset (base units scaled by decimals). */
  public BigDecimal units() {
    return new BigDecimal(amount, decimals);
  }

  /** The parsed receipt, when the server sent a valid one. */
  public Optional<Receipt> receipt() {
    if (receiptHeader == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Receipt.parse(receiptHeader));
    } catch (ProtocolException e) {
      return Optional.empty();
    }
  }

  /** The fleet, if the agent belongs to one. */
  public Optional<String> fleetName() {
    return Optional.ofNullable(fleet);
  }

  /** This record in another state, with the given reference/receipt/detail and update time. */
  public PaymentRecord withState(
      PaymentState state, String reference, String receiptHeader, String detail, Instant at) {
    return new PaymentRecord(
        id,
        agent,
        fleet,
        createdAt,
        at,
        url,
        origin,
        realm,
        method,
        intent,
        challengeId,
        amount,
        currency,
        chainId,
        decimals,
        usdMicros,
        feeUsdMicros,
        state,
        reference,
        receiptHeader,
        rationale,
        detail);
  }
}
