package dev.mpp.evm.signer;

/**
 * Signs 32-byte hashes with one secp256k1 account: the service-provider interface behind every
 * on-chain rail.
 *
 * <p>Built-in implementations are {@link PrivateKeySigner} (a raw key in memory) and {@link
 * KeystoreSigner} (an encrypted JSON keystore). To keep the key outside the JVM (cloud KMS, HSM,
 * remote signing service), implement this interface:
 *
 * <ul>
 *   <li>{@link #address()} returns the account's EIP-55 checksummed address; it must be constant.
 *   <li>{@link #sign(byte[])} signs the given hash <em>as is</em> (no prefixing, no re-hashing) and
 *       returns a recoverable signature. Services that only return {@code (r, s)} (usually
 *       DER-encoded) can use {@link Signature#fromRs} to normalize {@code s} and find {@code v}.
 *   <li>Implementations must be thread-safe: rails sign concurrently.
 *   <li>Failures are reported as {@link SignerException}, whose message must not contain key
 *       material or credentials of the signing service.
 *   <li>{@code toString()} must not reveal secrets; showing the address is fine.
 * </ul>
 *
 * <p>Rails never ask a signer to sign anything they have not validated first, and they only ever
 * pass hashes of structured data (transaction signing hashes, EIP-712 digests), never raw messages
 * from a server.
 */
public interface Signer {

  /** Returns the EIP-55 checksummed address of the signing account. */
  String address();

  /**
   * Signs a 32-byte hash.
   *
   * @param hash32 exactly 32 bytes; not modified
   * @return a canonical (low-s) recoverable signature with {@code v} 27/28
   * @throws SignerException if the signer cannot sign (unreachable service, locked key, …)
   * @throws IllegalArgumentException if {@code hash32} is not 32 bytes
   */
  Signature sign(byte[] hash32);
}
