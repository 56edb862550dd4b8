/**
 * EVM chain plumbing shared by on-chain rails: addresses compared by value ({@link
 * dev.mpp.wallet.chain.EvmAddress}), a JSON-RPC client with typed, secret-free errors ({@link
 * dev.mpp.wallet.chain.JsonRpcClient}), EIP-712 hashing of flat structs ({@link
 * dev.mpp.wallet.chain.Eip712}) and {@code did:pkh} payer identifiers.
 */
package dev.mpp.wallet.chain;
