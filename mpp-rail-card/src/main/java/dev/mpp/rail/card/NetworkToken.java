package dev.mpp.rail.card;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The agentic network token a card network's token service issued for the agent (draft-card-charge
 * §7.3.1). It travels only inside the JWE encrypted to the merchant's key. A secret: {@link
 * #toString()} never shows it.
 *
 * @param paymentToken the network token number
 * @param expirationMonth two digits ({@code 06})
 * @param expirationYear four digits ({@code 2034})
 * @param eci the Electronic Commerce Indicator, e.g. {@code 07}
 */
public record NetworkToken(
    String paymentToken, String expirationMonth, String expirationYear, String eci) {
  private static final Pattern TOKEN = Pattern.compile("[0-9]{12,19}");
  private static final Pattern MONTH = Pattern.compile("0[1-9]|1[0-2]");
  private static final Pattern YEAR = Pattern.compile("[0-9]{4}");
  private static final Pattern ECI = Pattern.compile("[0-9]{2}");

  /** Validates the components; messages never repeat the token. */
  public NetworkToken {
    Objects.requireNonNull(paymentToken, "paymentToken");
    Objects.requireNonNull(expirationMonth, "expirationMonth");
    Objects.requireNonNull(expirationYear, "expirationYear");
    Objects.requireNonNull(eci, "eci");
    if (!TOKEN.matcher(paymentToken).matches()) {
      throw new IllegalArgumentException("paymentToken must be 12 to 19 digits");
    }
    if (!MONTH.matcher(expirationMonth).matches() || !YEAR.matcher(expirationYear).matches()) {
      throw new IllegalArgumentException("token expiry must be MM and YYYY");
    }
    if (!ECI.matcher(eci).matches()) {
      throw new IllegalArgumentException("eci must be two digits");
    }
  }

  @Override
  public String toString() {
    return "NetworkToken[redacted]";
  }
}
