package dev.mpp.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.rail.tempo.session.ChannelState;
import dev.mpp.testkit.scenario.AdapterDriver;
import dev.mpp.testkit.session.SessionFixture;
import dev.mpp.testkit.session.SessionScenarios;
import dev.mpp.testkit.stack.LocalStack;
import dev.mpp.testkit.stack.ServerRoute;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Tempo sessions against the reference server through {@link MppHttpClient}. */
class JdkSessionTest extends SessionScenarios {
  @Override
  protected AdapterDriver driver() {
    return new JdkDriver(HttpClient.Redirect.NORMAL);
  }

  /**
   * The shared scenarios read whole bodies ({@code ofString}); a streaming handler gets the
   * response first, paid and recorded, and the in-stream vouchers as the caller reads lines.
   */
  @Test
  void aStreamingHandlerReadsAMeteredStreamLineByLine(LocalStack stack) throws Exception {
    String agent = "stream-lines";
    try (SessionFixture fixture =
        SessionFixture.open(dir.resolve("wallet.db"), stack, payer(), agent, lockable("0.1"))) {
      HttpClient client =
          MppHttpClient.builder(HttpClient.newHttpClient(), fixture.wallet()).agent(agent).build();
      HttpResponse<Stream<String>> response =
          client.send(
              HttpRequest.newBuilder(stack.url(ServerRoute.TEMPO_SESSION_STREAM))
                  .header("Accept", "text/event-stream")
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      PaymentRecord record = MppHttpClient.paymentRecord(response).orElseThrow();
      assertThat(record.state())
          .as("recorded before the body is read")
          .isEqualTo(PaymentState.PAID);

      List<String> lines;
      try (Stream<String> body = response.body()) {
        lines = body.toList();
      }

      int events = ServerRoute.SESSION_STREAM_EVENTS;
      assertThat(lines.stream().filter(l -> l.equals("event: message")).count()).isEqualTo(events);
      assertThat(lines.stream().filter(l -> l.equals("event: payment-need-voucher")).count())
          .isEqualTo(events - 1);
      ChannelState channel = fixture.channels().list(agent).get(0);
      BigInteger total = PRICE.multiply(BigInteger.valueOf(events));
      assertThat(channel.highestSigned()).isEqualTo(total);
      assertThat(fixture.rail().close(channel.channelId()).settled()).isEqualTo(total);
      assertLedger(fixture, agent, channel.channelId().toHex(), total);
    }
  }
}
