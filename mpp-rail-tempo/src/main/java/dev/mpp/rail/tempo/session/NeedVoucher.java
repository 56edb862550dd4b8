package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.math.BigInteger;

/**
 * A {@code payment-need-voucher} event: the server's stream is paused until a voucher for at least
 * {@code requiredCumulative} arrives.
 *
 * @param channelId the channel the stream draws on
 * @param requiredCumulative the least cumulative amount the next voucher must authorize
 * @param acceptedCumulative the highest voucher amount the server has accepted
 * @param deposit the channel's deposit as the server sees it
 */
record NeedVoucher(
    Bytes32 channelId,
    BigInteger requiredCumulative,
    BigInteger acceptedCumulative,
    BigInteger deposit) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Parses the event's data.
   *
   * @throws ProtocolException when it is not the JSON object the session spec describes
   */
  static NeedVoucher parse(String data) {
    JsonNode json;
    try {
      json = JSON.readTree(data);
    } catch (JsonProcessingException e) {
      throw malformed("is not JSON");
    }
    if (json == null || !json.isObject()) {
      throw malformed("is not a JSON object");
    }
    Bytes32 channelId;
    try {
      channelId = Bytes32.parse(text(json, "channelId"));
    } catch (IllegalArgumentException e) {
      throw malformed("has no valid channelId");
    }
    return new NeedVoucher(
        channelId,
        amount(json, "requiredCumulative"),
        amount(json, "acceptedCumulative"),
        amount(json, "deposit"));
  }

  private static String text(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || !node.isTextual()) {
      throw malformed("has no " + field);
    }
    return node.textValue();
  }

  private static BigInteger amount(JsonNode json, String field) {
    String text = text(json, field);
    if (text.isEmpty() || text.length() > 40 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw malformed("has an invalid " + field);
    }
    return new BigInteger(text);
  }

  private static ProtocolException malformed(String why) {
    return new ProtocolException(
        ErrorCode.MALFORMED_REQUEST, "tempo session: payment-need-voucher event " + why);
  }
}
