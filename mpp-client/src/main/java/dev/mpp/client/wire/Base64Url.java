package dev.mpp.client.wire;

import java.util.Base64;

/** base64url as MPP uses it: decode with or without padding, encode without padding. */
final class Base64Url {
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Base64Url() {}

  /**
   * Decodes, or returns null when the text is not base64url (standard-alphabet '+' '/' refused).
   */
  static byte[] decode(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static String encode(byte[] bytes) {
    return ENCODER.encodeToString(bytes);
  }

  /** Upper bound of the decoded size of a base64 text, to refuse huge values before decoding. */
  static long maxDecodedLength(String text) {
    return (text.length() * 3L + 3) / 4;
  }
}
