package dev.mpp.wallet;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a payment awaiting approval is about. Holds no credential.
 *
 * @param agent the paying agent
 * @param fleet the agent's fleet, or null
 * @param url the URL being paid for (without query or fragment)
 * @param realm the challenge's realm
 * @param method the payment method
 * @param intent the payment intent
 * @param challengeId the challenge id
 * @param recipient the request's recipient, or null
 * @param description the challenge's description (display only, from the server), or null
 * @param amount the amount in its asset
 * @param usdMicros the amount in micro-dollars
 * @param feeUsdMicros the rail's fee estimate in micro-dollars
 * @param rule the rule that asks for approval, e.g. {@code agent:bot-1/approval}
 */
public record ApprovalRequest(
    String agent,
    String fleet,
    String url,
    String realm,
    String method,
    String intent,
    String challengeId,
    String recipient,
    String description,
    Money amount,
    long usdMicros,
    long feeUsdMicros,
    String rule) {

  /** Validates the required components. */
  public ApprovalRequest {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(challengeId, "challengeId");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(rule, "rule");
  }

  /** The amount in dollars. */
  public BigDecimal usd() {
    return Usd.toDecimal(usdMicros);
  }
}
