package dev.mpp.rail.lightning.bolt11;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * BIP-0173 bech32 as BOLT #11 uses it: no 90-character limit, and the separator is the last {@code
 * 1} (a human-readable part may itself contain {@code 1}s, an amount like {@code 10u}).
 */
final class Bech32 {
  private static final String CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final int CHECKSUM_LENGTH = 6;

  /**
   * A decoded string: the human-readable part (lower case) and the 5-bit data, checksum removed.
   */
  record Decoded(String hrp, int[] data) {}

  private Bech32() {}

  static Decoded decode(String text) {
    boolean lower = !text.equals(text.toUpperCase(Locale.ROOT));
    boolean upper = !text.equals(text.toLowerCase(Locale.ROOT));
    if (lower && upper) {
      throw new Bolt11Exception("mixed-case bech32 string");
    }
    String s = text.toLowerCase(Locale.ROOT);
    int separator = s.lastIndexOf('1');
    if (separator < 1) {
      throw new Bolt11Exception("bech32 string has no separator or no human-readable part");
    }
    if (s.length() - separator - 1 < CHECKSUM_LENGTH) {
      throw new Bolt11Exception("bech32 string too short for its checksum");
    }
    String hrp = s.substring(0, separator);
    for (int i = 0; i < hrp.length(); i++) {
      char c = hrp.charAt(i);
      if (c < 33 || c > 126) {
        throw new Bolt11Exception("invalid character in human-readable part");
      }
    }
    int[] values = new int[s.length() - separator - 1];
    for (int i = 0; i < values.length; i++) {
      int v = CHARSET.indexOf(s.charAt(separator + 1 + i));
      if (v < 0) {
        throw new Bolt11Exception("invalid bech32 character at position " + (separator + 1 + i));
      }
      values[i] = v;
    }
    if (polymod(expandedChecksumInput(hrp, values)) != 1) {
      throw new Bolt11Exception("bech32 checksum mismatch");
    }
    int[] data = new int[values.length - CHECKSUM_LENGTH];
    System.arraycopy(values, 0, data, 0, data.length);
    return new Decoded(hrp, data);
  }

  static String encode(String hrp, int[] data) {
    int[] withZeros = new int[data.length + CHECKSUM_LENGTH];
    System.arraycopy(data, 0, withZeros, 0, data.length);
    int mod = polymod(expandedChecksumInput(hrp, withZeros)) ^ 1;
    StringBuilder out = new StringBuilder(hrp).append('1');
    for (int v : data) {
      out.append(CHARSET.charAt(v));
    }
    for (int i = 0; i < CHECKSUM_LENGTH; i++) {
      out.append(CHARSET.charAt((mod >>> (5 * (5 - i))) & 31));
    }
    return out.toString();
  }

  /**
   * Regroups bits between widths (8 to 5 or 5 to 8). With {@code pad}, a trailing partial group is
   * zero-padded; without it, the trailing bits are dropped (BOLT #11 pads fields with zero bits).
   */
  static int[] regroup(int[] in, int fromBits, int toBits, boolean pad) {
    int acc = 0;
    int bits = 0;
    int max = (1 << toBits) - 1;
    int[] out = new int[(in.length * fromBits + (pad ? toBits - 1 : 0)) / toBits];
    int n = 0;
    for (int value : in) {
      acc = (acc << fromBits) | value;
      bits += fromBits;
      while (bits >= toBits) {
        bits -= toBits;
        out[n++] = (acc >>> bits) & max;
      }
    }
    if (pad && bits > 0) {
      out[n++] = (acc << (toBits - bits)) & max;
    }
    return out;
  }

  static byte[] toBytes(int[] fiveBit) {
    int[] eight = regroup(fiveBit, 5, 8, false);
    ByteArrayOutputStream out = new ByteArrayOutputStream(eight.length);
    for (int b : eight) {
      out.write(b);
    }
    return out.toByteArray();
  }

  static int[] fromBytes(byte[] bytes) {
    int[] eight = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      eight[i] = bytes[i] & 0xff;
    }
    return regroup(eight, 8, 5, true);
  }

  private static int[] expandedChecksumInput(String hrp, int[] values) {
    int[] out = new int[hrp.length() * 2 + 1 + values.length];
    for (int i = 0; i < hrp.length(); i++) {
      out[i] = hrp.charAt(i) >> 5;
      out[hrp.length() + 1 + i] = hrp.charAt(i) & 31;
    }
    System.arraycopy(values, 0, out, hrp.length() * 2 + 1, values.length);
    return out;
  }

  private static int polymod(int[] values) {
    int[] gen = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    int chk = 1;
    for (int v : values) {
      int top = chk >>> 25;
      chk = ((chk & 0x1ffffff) << 5) ^ v;
      for (int i = 0; i < 5; i++) {
        if (((top >>> i) & 1) == 1) {
          chk ^= gen[i];
        }
      }
    }
    return chk;
  }
}
