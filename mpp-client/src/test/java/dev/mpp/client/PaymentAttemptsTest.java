package dev.mpp.client;

import static dev.mpp.client.Fixtures.URL;
import static dev.mpp.client.Fixtures.challenge;
import static dev.mpp.client.Fixtures.paid;
import static dev.mpp.client.Fixtures.paymentRequired;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.ProblemType;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rules both drivers share, run through {@link PaymentFlow#execute} and {@link
 * PaymentFlow#executeAsync} alike: one state machine must give one answer.
 */
class PaymentAttemptsTest {
  enum Path {
    SYNC,
    ASYNC
  }

  final FakePayer payer = new FakePayer();
  final ExecutorService payPool = PaymentFlowAsyncTest.pool("test-pay");
  final ExecutorService httpPool = PaymentFlowAsyncTest.pool("test-http");

  @AfterEach
  void stopPools() {
    payPool.shutdownNow();
    httpPool.shutdownNow();
  }

  PaymentResult<FakeResponse> run(Path path, FakeExchange exchange) throws Exception {
    PaymentFlow flow = PaymentFlow.builder(payer).clock(Fixtures.clock()).executor(payPool).build();
    PaymentContext context = PaymentContext.of(URI.create(URL), "GET", "agent-1");
    return path == Path.SYNC
        ? flow.execute(context, exchange)
        : flow.executeAsync(context, exchange.asyncOn(httpPool)).get(30, TimeUnit.SECONDS);
  }

  static FakeResponse channelGone(Challenge fresh) {
    return FakeResponse.status(410)
        .header("WWW-Authenticate", fresh.toHeaderValue())
        .header("Content-Type", "application/problem+json")
        .body(
            "{\"type\":\""
                + ProblemType.SESSION_CHANNEL_NOT_FOUND.uri()
                + "\",\"title\":\"gone\",\"status\":410}");
  }

  // Before the shared state machine, the synchronous path returned this 410 unpaid unless the
  // credential had been sent up front; the asynchronous path paid it, as PaymentFlow documents.
  @ParameterizedTest
  @EnumSource(Path.class)
  void aGoneChannelsFreshChallengeIsPaidOnceOnBothPaths(Path path) throws Exception {
    FakeExchange exchange =
        new FakeExchange(URL)
            .then(paymentRequired(challenge("c1")))
            .then(channelGone(challenge("c2")))
            .then(paid("0x2"));

    PaymentResult<FakeResponse> result = run(path, exchange);

    assertThat(payer.authorizeCalls()).isEqualTo(2);
    assertThat(payer.offersSeen().get(1)).containsExactly(challenge("c2"));
    assertThat(result.response().status).isEqualTo(200);
    assertThat(result.paymentRecord().orElseThrow().challengeId()).isEqualTo("c2");
    assertThat(payer.authorizations().get(0).transitions())
        .singleElement()
        .asString()
        .startsWith("unknown");
    assertThat(exchange.scriptDone()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aChannelGoneTwiceIsReportedNotPaidAThirdTime(Path path) throws Exception {
    FakeResponse second = channelGone(challenge("c3"));
    FakeExchange exchange =
        new FakeExchange(URL)
            .then(paymentRequired(challenge("c1")))
            .then(channelGone(challenge("c2")))
            .then(second);

    PaymentResult<FakeResponse> result = run(path, exchange);

    assertThat(payer.authorizeCalls()).isEqualTo(2);
    assertThat(result.response()).isSameAs(second);
    assertThat(result.paymentRecord().orElseThrow().challengeId()).isEqualTo("c2");
    assertThat(result.problemDetails().orElseThrow().type())
        .isEqualTo(ProblemType.SESSION_CHANNEL_NOT_FOUND);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void a410IsNotPaidBeforeACredentialWasSent(Path path) throws Exception {
    FakeResponse gone = channelGone(challenge("c1"));
    FakeExchange exchange = new FakeExchange(URL).then(gone);

    PaymentResult<FakeResponse> result = run(path, exchange);

    assertThat(payer.authorizeCalls()).isZero();
    assertThat(result.response()).isSameAs(gone);
    assertThat(result.paymentRecord()).isEmpty();
  }
}
