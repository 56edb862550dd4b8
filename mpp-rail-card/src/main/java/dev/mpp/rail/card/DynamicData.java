package dev.mpp.rail.card;

import java.util.Objects;
import java.util.Set;

/**
 * The per-payment dynamic data (cryptogram) the token service issued for one payment with a network
 * token (draft-card-charge §7.3.2). It travels only inside the JWE. A secret: {@link #toString()}
 * shows the type, never the value.
 *
 * @param value the cryptogram; empty only when {@code type} is {@code NONE}
 * @param type one of {@link #TYPES}
 * @param expiration when the cryptogram expires, in Unix seconds
 */
public record DynamicData(String value, String type, long expiration) {
  /** The cryptogram types the draft (after EMV SRC) allows. */
  public static final Set<String> TYPES =
      Set.of(
          "CARD_APPLICATION_CRYPTOGRAM_SHORT_FORM",
          "CARD_APPLICATION_CRYPTOGRAM_LONG_FORM",
          "CARDHOLDER_AUTHENTICATION_CRYPTOGRAM",
          "NONE");

  /** Validates the components; messages never repeat the value. */
  public DynamicData {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(type, "type");
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException("dynamic data type must be one of " + TYPES);
    }
    if (!"NONE".equals(type) && value.isEmpty()) {
      throw new IllegalArgumentException("a cryptogram of type " + type + " needs a value");
    }
    if (value.length() > 512) {
      throw new IllegalArgumentException("cryptogram is longer than 512 characters");
    }
    if (expiration <= 0) {
      throw new IllegalArgumentException("expiration must be a positive Unix time");
    }
  }

  @Override
  public String toString() {
    return "DynamicData[" + type + ", redacted]";
  }
}
