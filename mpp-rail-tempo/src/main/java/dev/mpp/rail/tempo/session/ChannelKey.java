package dev.mpp.rail.tempo.session;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import java.util.Objects;

/**
 * What one channel is kept for: an agent paying one payee in one token through one escrow, at one
 * origin and realm. Requests that share a key share the channel (and its deposit), across processes
 * when the {@link ChannelStore} is shared.
 *
 * @param agent the paying agent
 * @param origin the origin that issued the challenges ({@code scheme://host:port})
 * @param realm the challenges' realm
 * @param chainId the chain
 * @param escrow the escrow contract or precompile
 * @param payee the recipient
 * @param token the escrowed token
 * @param protocol the session protocol
 */
public record ChannelKey(
    String agent,
    String origin,
    String realm,
    long chainId,
    EvmAddress escrow,
    EvmAddress payee,
    EvmAddress token,
    SessionProtocol protocol) {

  /** Validates the components. */
  public ChannelKey {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(realm, "realm");
    Objects.requireNonNull(escrow, "escrow");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(protocol, "protocol");
  }

  /** The key of the channel that pays {@code challenge} for {@code agent}'s request. */
  static ChannelKey of(
      SessionRequest request, Challenge challenge, PaymentContext context, String agent) {
    return new ChannelKey(
        agent,
        context.origin(),
        challenge.realm(),
        request.chainId(),
        request.escrow(),
        request.recipient(),
        request.currency(),
        request.protocol());
  }

  /** A stable text form, unique per key, for storage and locks. */
  public String id() {
    return String.join(
        "|",
        protocol.wireName(),
        Long.toString(chainId),
        escrow.toLowerHex(),
        payee.toLowerHex(),
        token.toLowerHex(),
        origin,
        realm,
        agent);
  }

  @Override
  public String toString() {
    return "ChannelKey[" + id() + "]";
  }
}
