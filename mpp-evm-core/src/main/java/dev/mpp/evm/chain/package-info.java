/**
 * EVM chain plumbing shared by on-chain rails: addresses compared by value ({@link
 * dev.mpp.evm.chain.EvmAddress}), a JSON-RPC client with typed, secret-free errors ({@link
 * dev.mpp.evm.chain.JsonRpcClient}), EIP-712 hashing of flat structs ({@link
 * dev.mpp.evm.chain.Eip712}) and {@code did:pkh} payer identifiers.
 */
package dev.mpp.evm.chain;
