package dev.mpp.rail.card;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The cardholder's billing address (draft-card-charge §7.5), sent in the clear inside the
 * credential when the merchant sets {@code billingRequired}. Every field is optional. It is
 * personal data: {@link #toString()} shows only which fields are set.
 *
 * @param line1 street address, line 1, or null
 * @param line2 street address, line 2, or null
 * @param city city or locality, or null
 * @param state state, province or region, or null
 * @param zip postal or ZIP code, or null
 * @param countryCode ISO 3166-1 alpha-2 country code, or null
 */
public record BillingAddress(
    String line1, String line2, String city, String state, String zip, String countryCode) {

  /** The address as the credential's {@code billingAddress} object (unset fields left out). */
  ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    putIfSet(json, "line1", line1);
    putIfSet(json, "line2", line2);
    putIfSet(json, "city", city);
    putIfSet(json, "state", state);
    putIfSet(json, "zip", zip);
    putIfSet(json, "countryCode", countryCode);
    return json;
  }

  private static void putIfSet(ObjectNode json, String field, String value) {
    if (value != null && !value.isBlank()) {
      json.put(field, value);
    }
  }

  @Override
  public String toString() {
    return "BillingAddress[" + toJson().size() + " fields, redacted]";
  }
}
