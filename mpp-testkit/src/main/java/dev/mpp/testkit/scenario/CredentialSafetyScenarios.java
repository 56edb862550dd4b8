package dev.mpp.testkit.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.ProblemType;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenarios 8 to 11: where a credential may go (secure transport, the issuing origin, redirects)
 * and which offers are refused with a typed error before anything is signed.
 */
public abstract class CredentialSafetyScenarios extends AfterPaymentScenarios {
  // 8. Plain http to a non-loopback host: refused unless opted in. The host name only ever
  // reaches the loopback server, which acts as the HTTP proxy.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void insecureHttpToANonLoopbackHostIsRefused(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer).proxy(address()));
    server.enqueue(Paywall.paymentRequired(Paywall.charge("ch-plain", PRICE_CENTS)));

    MppException error =
        failure(client, HttpCall.get(URI.create("http://paid.example/report")), mode);

    assertThat(error.code()).isEqualTo(ErrorCode.INSECURE_TRANSPORT);
    assertThat(payer.signed()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request.getUrl().host()).isEqualTo("paid.example");
    assertThat(authorization(request)).isNull();
    client.assertNoLeaks();
  }

  // 8b. ... and paid when the user opted in.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void insecureHttpIsPaidWhenOptedIn(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client =
        client(ClientOptions.of(payer).proxy(address()).allowInsecureHttp(true));
    Challenge challenge = Paywall.charge("ch-optin", PRICE_CENTS);
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(Paywall.paid("report", "ref-optin", challenge.id()));

    HttpReply reply = run(client, HttpCall.get(URI.create("http://paid.example/report")), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
    List<RecordedRequest> sent = requests(server);
    assertThat(sent.get(1).getUrl().host()).isEqualTo("paid.example");
    assertThat(Paywall.isValidCredential(authorization(sent.get(1)), challenge)).isTrue();
  }

  // 9. A redirect of the paid attempt to another origin never carries the credential.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void crossOriginRedirectAfterPayingNeverCarriesTheCredential(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    try (MockWebServer other = new MockWebServer()) {
      other.start(InetAddress.getByName("127.0.0.1"), 0);
      Challenge challenge = Paywall.charge("ch-redirect", PRICE_CENTS);
      server.enqueue(Paywall.paymentRequired(challenge));
      server.enqueue(
          new MockResponse.Builder()
              .code(302)
              .setHeader("Location", other.url("/landing").toString())
              .setHeader("Payment-Receipt", Paywall.receipt("ref-redirect", challenge.id()))
              .build());
      other.enqueue(new MockResponse.Builder().code(200).body("landed").build());

      HttpReply reply = run(client, HttpCall.get(url("/download")), mode);

      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("landed");
      assertThat(reply.url().getPort()).isEqualTo(other.getPort());
      assertThat(other.getRequestCount()).isEqualTo(1);
      RecordedRequest landed = other.takeRequest(5, TimeUnit.SECONDS);
      assertThat(authorization(landed)).isNull();
      List<RecordedRequest> sent = requests(server);
      assertThat(sent).hasSize(2);
      assertThat(Paywall.isValidCredential(authorization(sent.get(1)), challenge)).isTrue();
      assertThat(payer.signed()).isEqualTo(1);
      // The receipt came with the redirect, not with the content.
      assertThat(reply.record().map(PaymentRecord::state)).contains(PaymentState.PAID);
      assertThat(reply.record().map(PaymentRecord::reference)).contains("ref-redirect");
    }
  }

  // 9b. A same-origin redirect keeps the credential (the issuer may see it again).
  @ParameterizedTest
  @EnumSource(Mode.class)
  void sameOriginRedirectAfterPayingIsFollowed(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    Challenge challenge = Paywall.charge("ch-same", PRICE_CENTS);
    server.enqueue(Paywall.paymentRequired(challenge));
    server.enqueue(new MockResponse.Builder().code(307).setHeader("Location", "/moved").build());
    server.enqueue(Paywall.paid("moved goods", "ref-same", challenge.id()));

    HttpReply reply = run(client, HttpCall.get(url("/original")), mode);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("moved goods");
    assertThat(reply.record().map(PaymentRecord::reference)).contains("ref-same");
    List<RecordedRequest> sent = requests(server);
    assertThat(sent)
        .extracting(RecordedRequest::getTarget)
        .containsExactly("/original", "/original", "/moved");
    assertThat(authorization(sent.get(2))).isEqualTo(authorization(sent.get(1)));
    assertThat(payer.signed()).isEqualTo(1);
  }

  // 9c. A 402 from another origin than the one asked is not paid.
  @ParameterizedTest
  @EnumSource(Mode.class)
  void paymentRequiredFromARedirectedOriginIsRefused(Mode mode) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    try (MockWebServer other = new MockWebServer()) {
      other.start(InetAddress.getByName("127.0.0.1"), 0);
      server.enqueue(
          new MockResponse.Builder()
              .code(302)
              .setHeader("Location", other.url("/elsewhere").toString())
              .build());
      other.enqueue(Paywall.paymentRequired(Paywall.charge("ch-elsewhere", PRICE_CENTS)));

      MppException error = failure(client, HttpCall.get(url("/start")), mode);

      assertThat(error.code()).isEqualTo(ErrorCode.CROSS_ORIGIN);
      assertThat(payer.signed()).isZero();
      assertThat(other.getRequestCount()).isEqualTo(1);
      client.assertNoLeaks();
    }
  }

  enum Refusal {
    EXPIRED(ErrorCode.CHALLENGE_EXPIRED),
    DIGEST_MISMATCH(ErrorCode.DIGEST_MISMATCH),
    UNKNOWN_METHOD(ErrorCode.NO_PAYABLE_OFFER),
    UNKNOWN_INTENT(ErrorCode.NO_PAYABLE_OFFER),
    UNPRICED_CURRENCY(ErrorCode.NO_PAYABLE_OFFER),
    UNREPLAYABLE_BODY(ErrorCode.BODY_NOT_REPLAYABLE);

    final ErrorCode code;

    Refusal(ErrorCode code) {
      this.code = code;
    }
  }

  static Stream<Arguments> refusals() {
    List<Arguments> cases = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      for (Refusal refusal : Refusal.values()) {
        cases.add(Arguments.of(mode, refusal));
      }
    }
    return cases.stream();
  }

  // 10. Offers that must not be paid give typed errors and no payment.
  @ParameterizedTest
  @MethodSource("refusals")
  void unpayableOffersAreRefusedWithTypedErrors(Mode mode, Refusal refusal) throws Exception {
    FakePayer payer = FakePayer.unlimited();
    ClientOptions options = ClientOptions.of(payer);
    String body = "x".repeat(1024);
    HttpCall call = HttpCall.withBody("POST", url("/refuse"), body);
    Challenge challenge =
        switch (refusal) {
          case EXPIRED ->
              Paywall.charge("ch-old", "test", "charge", "5", "usd")
                  .expires("2020-01-01T00:00:00Z")
                  .build();
          case DIGEST_MISMATCH ->
              Paywall.charge("ch-digest", "test", "charge", "5", "usd")
                  .digest(
                      BodyDigest.sha256("another body".getBytes(StandardCharsets.UTF_8)).toString())
                  .build();
          case UNKNOWN_METHOD -> Paywall.charge("ch-ln", "lightning", "charge", "5", "usd").build();
          case UNKNOWN_INTENT -> Paywall.charge("ch-sess", "test", "session", "5", "usd").build();
          case UNPRICED_CURRENCY -> Paywall.charge("ch-eur", "test", "charge", "5", "eur").build();
          case UNREPLAYABLE_BODY -> Paywall.charge("ch-stream", 5);
        };
    if (refusal == Refusal.UNREPLAYABLE_BODY) {
      call = call.asStream();
      options = options.maxBufferedBody(16);
    }
    AdapterDriver.Client client = client(options);
    server.enqueue(Paywall.paymentRequired(challenge));

    MppException error = failure(client, call, mode);

    assertThat(error.code()).isEqualTo(refusal.code);
    assertThat(payer.signed()).isZero();
    assertThat(payer.records()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()).isEqualTo(body);
    client.assertNoLeaks();
  }

  static Stream<Arguments> malformedPaymentRequired() {
    String huge =
        "Payment id=\"big\", realm=\"x\", method=\"test\", intent=\"charge\", request=\""
            + "A".repeat(70 * 1024)
            + "\"";
    List<Arguments> cases = new ArrayList<>();
    for (Mode mode : Mode.values()) {
      cases.add(Arguments.of(mode, huge, ErrorCode.HEADER_TOO_LARGE));
      cases.add(Arguments.of(mode, "Basic realm=\"elsewhere\"", ErrorCode.NO_PAYMENT_CHALLENGE));
      cases.add(Arguments.of(mode, null, ErrorCode.NO_PAYMENT_CHALLENGE));
    }
    return cases.stream();
  }

  // 11. A huge or missing challenge: typed error, no payment, the 402 closed.
  @ParameterizedTest
  @MethodSource("malformedPaymentRequired")
  void malformedOrMissingChallengesAreRefused(Mode mode, String field, ErrorCode expected)
      throws Exception {
    FakePayer payer = FakePayer.unlimited();
    AdapterDriver.Client client = client(ClientOptions.of(payer));
    MockResponse.Builder response =
        Paywall.problem(402, ProblemType.PAYMENT_REQUIRED, "pay").body("x".repeat(20_000));
    if (field != null) {
      response.addHeader("WWW-Authenticate", field);
    }
    server.enqueue(response.build());

    MppException error = failure(client, HttpCall.get(url("/odd")), mode);

    assertThat(error.code()).isEqualTo(expected);
    assertThat(payer.authorizeCalls()).isZero();
    assertThat(server.getRequestCount()).isEqualTo(1);
    client.assertNoLeaks();
  }
}
