package dev.mpp.testkit.session;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.rail.tempo.session.ChannelState;
import dev.mpp.rail.tempo.session.SessionProtocol;
import dev.mpp.rail.tempo.session.Voucher;
import dev.mpp.testkit.stack.DevAccount;
import dev.mpp.testkit.stack.LocalChain;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.ServerRoute;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Changes a channel behind a rail's back, to test how the rail recovers. */
final class SessionTamper {
  private SessionTamper() {}

  /**
   * Closes {@code channel} cooperatively without its rail: fetches a challenge, signs a close
   * voucher for {@code amount} with the payer's key and posts it, as another wallet holding the
   * same key would.
   */
  static void closeBehindTheRailsBack(
      LocalStack stack, DevAccount payer, ChannelState channel, BigInteger amount)
      throws Exception {
    URI url = stack.url(ServerRoute.TEMPO_SESSION);
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> probe =
        http.send(HttpRequest.newBuilder(url).GET().build(), HttpResponse.BodyHandlers.ofString());
    if (probe.statusCode() != 402) {
      throw new AssertionError("expected a 402 probe, got " + probe.statusCode());
    }
    Challenge challenge =
        Challenge.parseAll(probe.headers().allValues("WWW-Authenticate")).valid().get(0);
    Voucher voucher =
        Voucher.sign(
            PrivateKeySigner.of(payer.privateKeyHex().toCharArray()),
            SessionProtocol.V1,
            LocalChain.CHAIN_ID,
            EvmAddress.parse(stack.server().escrow()),
            channel.channelId(),
            amount);
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("action", "close");
    payload.put("channelId", channel.channelId().toHex());
    payload.put("cumulativeAmount", amount.toString());
    payload.put("signature", voucher.signature().toHex());
    String header = Credential.of(challenge, payload, null).toHeaderValue();
    HttpResponse<String> closed =
        http.send(
            HttpRequest.newBuilder(url)
                .header("Authorization", header)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (closed.statusCode() / 100 != 2) {
      throw new AssertionError("close failed: " + closed.statusCode() + " " + closed.body());
    }
  }
}
