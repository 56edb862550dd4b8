package dev.mpp.client.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * base64url (RFC 4648 §5) as MPP uses it: encoded without padding, decoded with or without it.
 * Characters outside the URL-safe alphabet (including the standard alphabet's {@code +} and {@code
 * /}, and whitespace) are an error, never skipped.
 */
public final class Base64Url {
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private Base64Url() {}

  /**
   * Encodes bytes without padding.
   *
   * @param bytes the bytes to encode
   * @return the base64url text, empty for no bytes
   */
  public static String encode(byte[] bytes) {
    return ENCODER.encodeToString(Objects.requireNonNull(bytes, "bytes"));
  }

  /**
   * Encodes the UTF-8 bytes of {@code text} without padding.
   *
   * @param text the text to encode; a lone surrogate is refused rather than replaced
   * @return the base64url text
   * @throws IllegalArgumentException if {@code text} holds a lone surrogate (no UTF-8 form)
   */
  public static String encodeUtf8(String text) {
    Objects.requireNonNull(text, "text");
    try {
      ByteBuffer utf8 =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(text));
      byte[] bytes = new byte[utf8.remaining()];
      utf8.get(bytes);
      return encode(bytes);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("text has no UTF-8 form (lone surrogate)");
    }
  }

  /**
   * Decodes base64url text, with or without padding. The empty text decodes to no bytes.
   *
   * @param text the base64url text
   * @return the decoded bytes
   * @throws IllegalArgumentException if {@code text} is not base64url
   */
  public static byte[] decode(String text) {
    Objects.requireNonNull(text, "text");
    try {
      return DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      // The JDK's message quotes the offending character; ours names no input.
      throw new IllegalArgumentException("not base64url (RFC 4648 §5)");
    }
  }

  /**
   * Decodes base64url text whose bytes must be well-formed UTF-8.
   *
   * @param text the base64url text
   * @return the decoded text
   * @throws IllegalArgumentException if {@code text} is not base64url or its bytes are not UTF-8
   *     (never replaced with U+FFFD)
   */
  public static String decodeUtf8(String text) {
    byte[] bytes = decode(text);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("decoded bytes are not UTF-8");
    }
  }

  /** Decodes for header values, where empty is as invalid as undecodable: returns null for both. */
  static byte[] decodeOrNull(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Upper bound of the decoded size of a base64 text, to refuse huge values before decoding. */
  static long maxDecodedLength(String text) {
    return (text.length() * 3L + 3) / 4;
  }
}
