/**
 * Signing keys for on-chain rails: the {@link dev.mpp.evm.signer.Signer} SPI (address + sign a
 * 32-byte hash), in-memory keys ({@link dev.mpp.evm.signer.PrivateKeySigner}), encrypted JSON
 * keystores ({@link dev.mpp.evm.signer.KeystoreSigner}) and recoverable secp256k1 {@link
 * dev.mpp.evm.signer.Signature}s. Key material never appears in {@code toString()}, logs or
 * exception messages.
 */
package dev.mpp.evm.signer;
