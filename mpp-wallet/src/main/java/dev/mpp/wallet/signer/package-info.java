/**
 * Signing keys for on-chain rails: the {@link dev.mpp.wallet.signer.Signer} SPI (address + sign a
 * 32-byte hash), in-memory keys ({@link dev.mpp.wallet.signer.PrivateKeySigner}), encrypted JSON
 * keystores ({@link dev.mpp.wallet.signer.KeystoreSigner}) and recoverable secp256k1 {@link
 * dev.mpp.wallet.signer.Signature}s. Key material never appears in {@code toString()}, logs or
 * exception messages.
 */
package dev.mpp.wallet.signer;
