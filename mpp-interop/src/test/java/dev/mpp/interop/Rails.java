package dev.mpp.interop;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.evm.EvmRail;
import dev.mpp.rail.evm.EvmToken;
import dev.mpp.rail.tempo.TempoChargeRail;
import dev.mpp.rail.tempo.TempoConfig;
import dev.mpp.rail.tempo.TempoMode;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalMppServer;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.wallet.testing.HmacTestRail;

/** The wallet's real rails, configured for the local stack. */
final class Rails {
  static final EvmAddress PATH_USD = EvmAddress.parse(LocalChain.PATH_USD);
  static final EvmAddress ALPHA_USD = EvmAddress.parse(LocalChain.ALPHA_USD);

  private Rails() {}

  /**
   * A Tempo rail paying pathUSD and AlphaUSD from {@code payer} in {@code modes}; fees, when the
   * payer pays them, in the charged token.
   */
  static TempoChargeRail tempo(LocalStack stack, DevAccount payer, TempoMode... modes) {
    TempoConfig config =
        TempoConfig.builder(LocalChain.CHAIN_ID)
            .asset(PATH_USD)
            .asset(ALPHA_USD)
            .modes(modes)
            .build();
    return TempoChargeRail.builder(config, PrivateKeySigner.of(payer.privateKeyHex().toCharArray()))
        .rpc(JsonRpcClient.create(stack.rpcUrl()))
        .build();
  }

  /** An EVM rail paying the server's EIP-3009 test token from {@code payer}. */
  static EvmRail evm(LocalStack stack, DevAccount payer) {
    return EvmRail.builder()
        .signer(PrivateKeySigner.of(payer.privateKeyHex().toCharArray()))
        .chain(LocalChain.CHAIN_ID, JsonRpcClient.create(stack.rpcUrl()))
        .tokens(EvmToken.withOnChainDomain(LocalChain.CHAIN_ID, LocalMppServer.EVM_TOKEN, 6))
        .build();
  }

  /** The server's chain-less {@code test} method. */
  static HmacTestRail test() {
    return HmacTestRail.of(LocalMppServer.DEFAULT_TEST_SECRET);
  }
}
