package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.rail.tempo.TempoFeePlanner;
import dev.mpp.rail.tempo.TempoFees;
import dev.mpp.rail.tempo.TempoSigner;
import dev.mpp.rail.tempo.TempoTransaction;
import java.math.BigInteger;
import java.time.Clock;

/**
 * Everything a session signs or prices: vouchers, open and top-up transactions (their fees, fee
 * token and validity window), and the credential header that carries a payload.
 */
final class SessionSigner {

  private final TempoSessionConfig config;
  private final TempoSigner signer;
  private final TempoFeePlanner fees;
  private final Clock clock;

  SessionSigner(TempoSessionConfig config, TempoSigner signer, TempoFeePlanner fees, Clock clock) {
    this.config = config;
    this.signer = signer;
    this.fees = fees;
    this.clock = clock;
  }

  /** The paying account. */
  EvmAddress account() {
    return signer.account();
  }

  /** A voucher for {@code cumulative} on {@code channel}. */
  Voucher voucher(ChannelState channel, BigInteger cumulative) {
    ChannelKey key = channel.key();
    Bytes32 digest =
        Voucher.digest(
            key.protocol(), key.chainId(), key.escrow(), channel.channelId(), cumulative);
    return new Voucher(channel.channelId(), cumulative, signer.sign(digest.toBytes()));
  }

  /** {@code unsigned} with the account's signature. */
  TempoTransaction sign(TempoTransaction unsigned) {
    return unsigned.withSignature(signer.sign(unsigned.signingHash()));
  }

  /** The {@code Authorization} header value carrying {@code payload} for {@code challenge}. */
  String header(Challenge challenge, ObjectNode payload) {
    return Credential.of(challenge, payload, signer.source()).toHeaderValue();
  }

  /** The fee caps of an open or top-up transaction of {@code gas}; may ask the node. */
  TempoFees fees(long gas) {
    return fees.plan(gas);
  }

  /** The {@code validBefore} of a transaction for {@code challenge} signed now. */
  long validBefore(Challenge challenge) {
    return config.validBefore(challenge, clock.instant());
  }

  /** The fee token: none when the server sponsors the fees. */
  EvmAddress feeToken(SessionRequest request) {
    return request.feePayer() ? null : config.feeToken().orElse(request.currency());
  }

  /** What the payer may be charged for a transaction: nothing when the server sponsors it. */
  static BigInteger feeUnits(SessionRequest request, TempoFees fees) {
    return request.feePayer() ? BigInteger.ZERO : fees.maxFeeInTokenUnits();
  }
}
