package dev.mpp.rail.tempo.session;

import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.rail.tempo.TempoCall;
import dev.mpp.rail.tempo.TempoTransaction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * The unsigned Tempo transactions of a session: the open (v1: {@code approve} then {@code open};
 * v2: the precompile's {@code open}) and the top-up (v1: {@code approve} then {@code topUp}; v2:
 * {@code topUp}). Every one uses Tempo's expiring-nonce lane, so no account nonce has to be
 * tracked, and is valid until {@code validBefore}.
 */
final class ChannelTransactions {

  private ChannelTransactions() {}

  /** The calls that open a channel. */
  static List<TempoCall> openCalls(
      SessionRequest request, BigInteger deposit, Bytes32 salt, EvmAddress authorizedSigner) {
    List<TempoCall> calls = new ArrayList<>(2);
    if (request.protocol() == SessionProtocol.V1) {
      calls.add(call(request.currency(), EscrowCalls.approve(request.escrow(), deposit)));
      calls.add(
          call(
              request.escrow(),
              EscrowCalls.openV1(
                  request.recipient(), request.currency(), deposit, salt, authorizedSigner)));
    } else {
      calls.add(
          call(
              request.escrow(),
              EscrowCalls.openV2(
                  request.recipient(),
                  request.operator(),
                  request.currency(),
                  deposit,
                  salt,
                  authorizedSigner)));
    }
    return calls;
  }

  /** The calls that add {@code additional} to a channel. */
  static List<TempoCall> topUpCalls(
      ChannelState channel, EvmAddress escrow, BigInteger additional) {
    List<TempoCall> calls = new ArrayList<>(2);
    ChannelDescriptor descriptor = channel.descriptor();
    if (descriptor.protocol() == SessionProtocol.V1) {
      calls.add(call(descriptor.token(), EscrowCalls.approve(escrow, additional)));
      calls.add(call(escrow, EscrowCalls.topUpV1(channel.channelId(), additional)));
    } else {
      calls.add(call(escrow, EscrowCalls.topUpV2(descriptor, additional)));
    }
    return calls;
  }

  /**
   * TIP-1034's {@code expiringNonceHash} of a v2 open transaction: {@code keccak256(signing payload
   * ‖ sender)}, where the signing payload is the sender's (fee-payer co-signature excluded).
   */
  static Bytes32 expiringNonceHash(TempoTransaction unsigned, EvmAddress sender) {
    Objects.requireNonNull(sender, "sender");
    byte[] payload = unsigned.encodeUnsigned();
    byte[] preimage = new byte[payload.length + EvmAddress.LENGTH];
    System.arraycopy(payload, 0, preimage, 0, payload.length);
    System.arraycopy(sender.toBytes(), 0, preimage, payload.length, EvmAddress.LENGTH);
    return Bytes32.of(Hash.sha3(preimage));
  }

  private static TempoCall call(EvmAddress to, byte[] data) {
    return TempoCall.of(to, BigInteger.ZERO, data);
  }
}
