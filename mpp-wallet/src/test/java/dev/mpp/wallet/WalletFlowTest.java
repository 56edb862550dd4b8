package dev.mpp.wallet;

import static dev.mpp.wallet.testing.Offers.PATH_USD;
import static dev.mpp.wallet.testing.Offers.offer;
import static dev.mpp.wallet.testing.Offers.onChain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mpp.client.Exchange;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFlow;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentResult;
import dev.mpp.client.PaymentState;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Credential;
import dev.mpp.wallet.ledger.InMemoryLedgerStore;
import dev.mpp.wallet.ledger.LedgerQuery;
import dev.mpp.wallet.policy.Policy;
import dev.mpp.wallet.policy.Window;
import dev.mpp.wallet.testing.HmacTestRail;
import dev.mpp.wallet.testing.Offers;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The wallet plugged into the payment flow through the payer seam, against a scripted server. */
class WalletFlowTest {
  private static final URI URL = URI.create("https://api.example.com/v1/data");

  private final InMemoryLedgerStore ledger = new InMemoryLedgerStore();
  private final HmacTestRail hmac = HmacTestRail.of(HmacTestRail.DEFAULT_SECRET);

  record Response(int status, Map<String, List<String>> headers, byte[] body) {}

  /** Answers 402 with {@code offers} until it sees a credential, then asks {@code paid}. */
  static final class ScriptedServer implements Exchange<Response> {
    final List<Map<String, String>> requests = new ArrayList<>();
    final List<Challenge> offers;
    final Function<Credential, Response> paid;

    ScriptedServer(List<Challenge> offers, Function<Credential, Response> paid) {
      this.offers = offers;
      this.paid = paid;
    }

    @Override
    public Response send(Map<String, String> headers) {
      requests.add(headers);
      String authorization = headers.get("Authorization");
      if (authorization == null) {
        return new Response(
            402,
            Map.of("WWW-Authenticate", offers.stream().map(Challenge::toHeaderValue).toList()),
            new byte[0]);
      }
      return paid.apply(Credential.parse(authorization));
    }

    @Override
    public int status(Response response) {
      return response.status();
    }

    @Override
    public List<String> headers(Response response, String name) {
      return response.headers().entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .toList();
    }

    @Override
    public URI url(Response response) {
      return URL;
    }

    @Override
    public byte[] peekBody(Response response, int maxBytes) {
      return response.body();
    }

    @Override
    public void discard(Response response) {}
  }

  static Response receipt(Credential credential) {
    String json =
        JsonNodeFactory.instance
            .objectNode()
            .put("status", "success")
            .put("method", credential.challenge().method())
            .put("reference", "ref-" + credential.challenge().id())
            .put("challengeId", credential.challenge().id())
            .put("timestamp", "2026-04-01T10:00:01Z")
            .toString();
    String header =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_8));
    return new Response(200, Map.of("Payment-Receipt", List.of(header)), new byte[0]);
  }

  private PaymentFlow flow(Policy policy) {
    Wallet wallet =
        Wallet.builder().ledger(ledger).rail(hmac, Offers.tempoRail()).agent("bot", policy).build();
    return PaymentFlow.builder(wallet)
        .agent("bot")
        .acceptPayment(PaymentFlow.AcceptPaymentMode.ALWAYS)
        .build();
  }

  @Test
  void paysTheCheapestOfferAndReturnsTheCommittedRecordWithTheResponse() throws Exception {
    Challenge test = offer("t-1", "test", "2", "usd"); // 0.02
    Challenge tempo = onChain("p-1", "tempo", "30000", PATH_USD); // 0.03
    ScriptedServer server =
        new ScriptedServer(
            List.of(tempo, test),
            credential -> {
              assertThat(credential.payload().get("mac").asText())
                  .isEqualTo(hmac.mac(credential.challenge().id()));
              return receipt(credential);
            });

    PaymentResult<Response> result =
        flow(Policy.unlimited()).execute(PaymentContext.of(URL, "GET", "bot"), server);

    assertThat(result.response().status()).isEqualTo(200);
    PaymentRecord record = result.paymentRecord().orElseThrow();
    assertThat(record.state()).isEqualTo(PaymentState.PAID);
    assertThat(record.challengeId()).isEqualTo("t-1");
    assertThat(record.reference()).isEqualTo("ref-t-1");
    assertThat(record.receipt()).isPresent();
    assertThat(record.rationale()).startsWith("chose #2 test/charge (challenge t-1) via test");
    assertThat(ledger.query(LedgerQuery.all())).containsExactly(record);
    assertThat(server.requests.get(0).get("Accept-Payment")).isEqualTo("test/charge, tempo/charge");
  }

  @Test
  void aRejectionThatProvesNoSettlementReleasesTheReservation() throws Exception {
    byte[] problem =
        "{\"type\":\"https://paymentauth.org/problems/invalid-challenge\",\"status\":402}"
            .getBytes(StandardCharsets.UTF_8);
    ScriptedServer server =
        new ScriptedServer(
            List.of(offer("t-2", "test", "100", "usd")),
            credential ->
                new Response(
                    402, Map.of("Content-Type", List.of("application/problem+json")), problem));

    PaymentResult<Response> result =
        flow(Policy.builder().cap(Window.DAY, "1.00").build())
            .execute(PaymentContext.of(URL, "GET", "bot"), server);

    assertThat(result.paymentRecord().orElseThrow().state()).isEqualTo(PaymentState.RELEASED);
    assertThat(ledger.usage(dev.mpp.wallet.ledger.Limit.Scope.agent("bot"), null, null).usdMicros())
        .isZero();
  }

  @Test
  void aPolicyDenialReachesTheCallerAndNothingIsSent() {
    ScriptedServer server =
        new ScriptedServer(List.of(offer("t-3", "test", "500", "usd")), WalletFlowTest::receipt);

    assertThatThrownBy(
            () ->
                flow(Policy.builder().maxPerPayment("1.00").build())
                    .execute(PaymentContext.of(URL, "GET", "bot"), server))
        .isInstanceOfSatisfying(
            PaymentDeniedException.class,
            e -> assertThat(e.rule()).isEqualTo("agent:bot/max-per-payment"));
    assertThat(server.requests).hasSize(1);
    assertThat(hmac.payments()).isZero();
  }
}
