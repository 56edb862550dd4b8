package dev.mpp.rail.tempo.session;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.Receipt;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The requests the rail sends to a session's server itself, outside a paid request: top-ups,
 * in-stream vouchers and closes (POSTed with their credential), and the probe for a fresh
 * challenge; plus reading the server's answers (problem details, receipts).
 */
final class SessionServer {

  private final SessionTransport transport;
  private final TempoSessionConfig config;

  SessionServer(SessionTransport transport, TempoSessionConfig config) {
    this.transport = transport;
    this.config = config;
  }

  /** POSTs a credential to {@code url}. */
  SessionTransport.Response post(URI url, String authorization) throws IOException {
    return transport.send("POST", url, Map.of("Authorization", authorization));
  }

  /** Asks {@code url} for a session challenge of the channel's escrow, payee and token. */
  Challenge freshChallenge(ChannelState channel, URI url) {
    for (String method : List.of("HEAD", "GET")) {
      SessionTransport.Response response;
      try {
        response = transport.send(method, url, Map.of());
      } catch (IOException e) {
        throw new PaymentFailedException(
            ErrorCode.RAIL_FAILED,
            "tempo session: cannot fetch a challenge to close with: " + e.getMessage(),
            e);
      }
      if (response.status() != 402) {
        continue;
      }
      Challenges challenges = Challenge.parseAll(response.header("www-authenticate"));
      PaymentContext context = PaymentContext.of(url, "POST", channel.key().agent());
      for (Challenge challenge : challenges.valid()) {
        try {
          SessionRequest request = SessionRequest.parse(challenge, config);
          if (ChannelKey.of(request, challenge, context, channel.key().agent())
              .equals(channel.key())) {
            return challenge;
          }
        } catch (MppException e) {
          // not this channel's offer
        }
      }
    }
    throw new PaymentFailedException(
        ErrorCode.RAIL_FAILED,
        "tempo session: " + url.getHost() + " offers no session challenge for this channel");
  }

  /** The response's {@code Payment-Receipt}, if it has a valid one. */
  static Optional<Receipt> receipt(SessionTransport.Response response) throws ProtocolException {
    Optional<String> header = response.header("payment-receipt").stream().findFirst();
    return header.isEmpty() ? Optional.empty() : Optional.of(Receipt.parse(header.get()));
  }

  /** The response's problem details, described for a message. */
  static String problemText(SessionTransport.Response response) {
    return describe(problemOf(response));
  }

  /** The response's problem details, or null when its body is empty or not one. */
  static Problem problemOf(SessionTransport.Response response) {
    try {
      byte[] body = response.body();
      return body.length == 0 ? null : Problem.parse(body);
    } catch (ProtocolException e) {
      return null;
    }
  }

  /** {@code problem}'s type and detail, for a message. */
  static String describe(Problem problem) {
    return problem == null
        ? "(no problem details)"
        : problem.type().uri() + problem.text("detail").map(d -> ": " + d).orElse("");
  }
}
