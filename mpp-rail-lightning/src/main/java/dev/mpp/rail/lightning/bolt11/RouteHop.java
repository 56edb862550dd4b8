package dev.mpp.rail.lightning.bolt11;

import java.util.HexFormat;

/**
 * One hop of an {@code r} field (a private route towards the payee).
 *
 * @param pubkey the node at the start of the channel, 33-byte compressed key in lower-case hex
 * @param shortChannelId the channel, as its 64-bit short channel id
 * @param feeBaseMsat base fee in millisatoshi (unsigned 32-bit)
 * @param feeProportionalMillionths proportional fee (unsigned 32-bit)
 * @param cltvExpiryDelta CLTV delta (unsigned 16-bit)
 */
public record RouteHop(
    String pubkey,
    long shortChannelId,
    long feeBaseMsat,
    long feeProportionalMillionths,
    int cltvExpiryDelta) {

  /** Size of one hop on the wire: 264 + 64 + 32 + 32 + 16 bits. */
  static final int WIRE_BYTES = 51;

  /** Validates the fields. */
  public RouteHop {
    if (pubkey == null || !pubkey.matches("0[23][0-9a-f]{64}")) {
      throw new IllegalArgumentException("pubkey must be a compressed key in lower-case hex");
    }
    if (feeBaseMsat < 0 || feeBaseMsat > 0xffffffffL) {
      throw new IllegalArgumentException("feeBaseMsat out of range");
    }
    if (feeProportionalMillionths < 0 || feeProportionalMillionths > 0xffffffffL) {
      throw new IllegalArgumentException("feeProportionalMillionths out of range");
    }
    if (cltvExpiryDelta < 0 || cltvExpiryDelta > 0xffff) {
      throw new IllegalArgumentException("cltvExpiryDelta out of range");
    }
  }

  /** Short channel id in the usual {@code block x tx x output} notation. */
  public String shortChannelIdString() {
    return (shortChannelId >>> 40)
        + "x"
        + ((shortChannelId >>> 16) & 0xffffff)
        + "x"
        + (shortChannelId & 0xffff);
  }

  static RouteHop read(byte[] b, int off) {
    return new RouteHop(
        HexFormat.of().formatHex(b, off, off + 33),
        readBig(b, off + 33, 8),
        readBig(b, off + 41, 4),
        readBig(b, off + 45, 4),
        (int) readBig(b, off + 49, 2));
  }

  void write(byte[] b, int off) {
    byte[] key = HexFormat.of().parseHex(pubkey);
    System.arraycopy(key, 0, b, off, 33);
    writeBig(b, off + 33, 8, shortChannelId);
    writeBig(b, off + 41, 4, feeBaseMsat);
    writeBig(b, off + 45, 4, feeProportionalMillionths);
    writeBig(b, off + 49, 2, cltvExpiryDelta);
  }

  private static long readBig(byte[] b, int off, int len) {
    long v = 0;
    for (int i = 0; i < len; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static void writeBig(byte[] b, int off, int len, long v) {
    for (int i = len - 1; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
