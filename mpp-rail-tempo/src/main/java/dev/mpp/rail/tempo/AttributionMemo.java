package dev.mpp.rail.tempo;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * The MPP attribution memo that binds a transfer to one challenge. The reference server ({@code
 * mppx}) requires it on a payment transfer when the request carries no memo of its own.
 *
 * <pre>
 * bytes  0..3   keccak256("mpp")[0..4]        tag
 * byte   4      0x01                          version
 * bytes  5..14  keccak256(realm)[0..10]       server fingerprint
 * bytes 15..24  keccak256(clientId)[0..10]    client fingerprint, or zeros without a client id
 * bytes 25..31  keccak256(challengeId)[0..7]  challenge nonce
 * </pre>
 *
 * Strings are hashed as UTF-8.
 */
public final class AttributionMemo {

  private static final byte[] TAG = Hash.sha3("mpp".getBytes(StandardCharsets.UTF_8));
  private static final byte VERSION = 0x01;

  private AttributionMemo() {}

  /**
   * Encodes the memo.
   *
   * @param realm the challenge realm (the server identity)
   * @param clientId an application identifier, or null for an anonymous client
   * @param challengeId the challenge id
   */
  public static Memo encode(String realm, String clientId, String challengeId) {
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(challengeId, "challengeId");
    byte[] memo = new byte[Memo.LENGTH];
    System.arraycopy(TAG, 0, memo, 0, 4);
    memo[4] = VERSION;
    System.arraycopy(keccak(realm), 0, memo, 5, 10);
    // mppx treats an empty client id like a missing one.
    if (clientId != null && !clientId.isEmpty()) {
      System.arraycopy(keccak(clientId), 0, memo, 15, 10);
    }
    System.arraycopy(keccak(challengeId), 0, memo, 25, 7);
    return Memo.of(memo);
  }

  /**
   * Returns whether {@code memo} is an attribution memo for {@code realm} and {@code challengeId}
   * (any client).
   */
  public static boolean isBoundTo(Memo memo, String realm, String challengeId) {
    byte[] bytes = memo.toBytes();
    byte[] expected = encode(realm, null, challengeId).toBytes();
    for (int i = 0; i < Memo.LENGTH; i++) {
      boolean clientPart = i >= 15 && i < 25;
      if (!clientPart && bytes[i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] keccak(String value) {
    return Hash.sha3(value.getBytes(StandardCharsets.UTF_8));
  }
}
