package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.HexFormat;

/**
 * The credential payloads of the four session actions, with fields in the order mppx writes them.
 * v2 payloads carry the channel descriptor; v1 payloads do not.
 */
final class SessionPayloads {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  private SessionPayloads() {}

  static ObjectNode open(
      ChannelDescriptor descriptor, Bytes32 channelId, byte[] signedTransaction, Voucher voucher) {
    ObjectNode payload = NODES.objectNode();
    payload.put("action", "open");
    payload.put("type", "transaction");
    payload.put("channelId", channelId.toHex());
    payload.put("transaction", "0x" + HEX.formatHex(signedTransaction));
    if (descriptor.protocol() == SessionProtocol.V2) {
      payload.set("descriptor", descriptor.toJson());
    }
    payload.put("authorizedSigner", descriptor.authorizedSigner().toLowerHex());
    payload.put("cumulativeAmount", voucher.cumulativeAmount().toString());
    payload.put("signature", voucher.signature().toHex());
    return payload;
  }

  static ObjectNode voucher(ChannelDescriptor descriptor, Voucher voucher) {
    return signed("voucher", descriptor, voucher);
  }

  static ObjectNode close(ChannelDescriptor descriptor, Voucher voucher) {
    return signed("close", descriptor, voucher);
  }

  static ObjectNode topUp(
      ChannelDescriptor descriptor,
      Bytes32 channelId,
      byte[] signedTransaction,
      BigInteger additionalDeposit) {
    ObjectNode payload = NODES.objectNode();
    payload.put("action", "topUp");
    payload.put("type", "transaction");
    payload.put("channelId", channelId.toHex());
    payload.put("transaction", "0x" + HEX.formatHex(signedTransaction));
    if (descriptor.protocol() == SessionProtocol.V2) {
      payload.set("descriptor", descriptor.toJson());
    }
    payload.put("additionalDeposit", additionalDeposit.toString());
    return payload;
  }

  private static ObjectNode signed(String action, ChannelDescriptor descriptor, Voucher voucher) {
    ObjectNode payload = NODES.objectNode();
    payload.put("action", action);
    payload.put("channelId", voucher.channelId().toHex());
    if (descriptor.protocol() == SessionProtocol.V2) {
      payload.set("descriptor", descriptor.toJson());
    }
    payload.put("cumulativeAmount", voucher.cumulativeAmount().toString());
    payload.put("signature", voucher.signature().toHex());
    return payload;
  }
}
