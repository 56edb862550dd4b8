package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.Signer;
import dev.mpp.rail.tempo.TempoCall;
import dev.mpp.rail.tempo.TempoFeePlanner;
import dev.mpp.rail.tempo.TempoFees;
import dev.mpp.rail.tempo.TempoSigner;
import dev.mpp.rail.tempo.TempoTransaction;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;

/**
 * Everything a session signs or prices: vouchers, open and top-up transactions (their fees, fee
 * token and validity window), and the credential header that carries a payload.
 */
final class SessionSigner {
  private static final String LABEL = "tempo session";

  private final TempoSessionConfig config;
  private final TempoSigner signer;
  private final TempoFeePlanner fees;
  private final Clock clock;

  /**
   * Signs with {@code signer} and plans fees under {@code config}, asking {@code rpc} (null when
   * none is configured) for gas prices.
   *
   * @throws dev.mpp.client.ConfigurationException if the signer's address is not a valid address
   */
  SessionSigner(TempoSessionConfig config, Signer signer, JsonRpcClient rpc, Clock clock) {
    this.config = config;
    this.signer = new TempoSigner(signer, config.chainId(), LABEL);
    this.fees = new TempoFeePlanner(config, () -> rpc, LABEL);
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

  /** The fee caps of an open transaction; may ask the node, so never call it under a lock. */
  TempoFees openFees() {
    return fees.plan(config.openGas());
  }

  /** The fee caps of a top-up transaction; may ask the node, so never call it under a lock. */
  TempoFees topUpFees() {
    return fees.plan(config.topUpGas());
  }

  /**
   * The unsigned open or top-up transaction of {@code calls} for {@code challenge}: valid until the
   * challenge expires at the latest, fees in the configured token or the channel's (none when the
   * server sponsors them).
   *
   * @throws dev.mpp.client.PaymentRefusedException when the challenge has expired
   */
  TempoTransaction transaction(
      SessionRequest request, Challenge challenge, List<TempoCall> calls, TempoFees fees) {
    EvmAddress feeToken = request.feePayer() ? null : config.feeToken().orElse(request.currency());
    return TempoTransaction.expiring(
        config.chainId(), calls, fees, validBefore(challenge), feeToken);
  }

  /**
   * The {@code validBefore} of a transaction for {@code challenge} signed now.
   *
   * @throws dev.mpp.client.PaymentRefusedException when the challenge has expired
   */
  long validBefore(Challenge challenge) {
    return config.validBefore(challenge, clock.instant());
  }

  /** What the payer may be charged for a transaction: nothing when the server sponsors it. */
  static BigInteger feeUnits(SessionRequest request, TempoFees fees) {
    return request.feePayer() ? BigInteger.ZERO : fees.maxFeeInTokenUnits();
  }
}
