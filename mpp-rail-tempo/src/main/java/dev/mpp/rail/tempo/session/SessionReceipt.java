package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Receipt;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The session fields of a {@code Payment-Receipt}: {@code channelId}, {@code acceptedCumulative},
 * {@code spent}, optional {@code units} and {@code txHash} (the reference is the channel id).
 *
 * @param channelId the channel the server credited
 * @param acceptedCumulative the highest voucher amount the server accepted
 * @param spent what the server has charged so far
 * @param txHash the transaction of an open or close, or null
 */
record SessionReceipt(
    Bytes32 channelId, BigInteger acceptedCumulative, BigInteger spent, String txHash) {

  /**
   * The session fields of {@code receipt}, or empty when it is not a well-formed session receipt.
   */
  static Optional<SessionReceipt> of(Receipt receipt) {
    if (receipt == null) {
      return Optional.empty();
    }
    ObjectNode json = receipt.json();
    try {
      Bytes32 channelId = Bytes32.parse(text(json, "channelId"));
      BigInteger accepted = amount(json, "acceptedCumulative");
      BigInteger spent = json.has("spent") ? amount(json, "spent") : BigInteger.ZERO;
      JsonNode tx = json.get("txHash");
      String txHash = tx != null && tx.isTextual() ? tx.textValue() : null;
      return Optional.of(new SessionReceipt(channelId, accepted, spent, txHash));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException(field);
    }
    return node.textValue();
  }

  private static BigInteger amount(JsonNode json, String field) {
    String text = text(json, field);
    if (text.isEmpty() || text.length() > 40 || !text.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(field);
    }
    return new BigInteger(text);
  }
}
