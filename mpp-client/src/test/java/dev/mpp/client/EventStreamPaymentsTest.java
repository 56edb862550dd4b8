package dev.mpp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mpp.client.wire.AcceptPayment;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventStreamPaymentsTest {

  private static final PaymentContext CONTEXT =
      PaymentContext.of(URI.create("https://api.example.com/stream"), "GET", "bot");

  private static final String NEED =
      "{\"channelId\":\"0x01\",\"requiredCumulative\":\"2000\",\"acceptedCumulative\":\"1000\","
          + "\"deposit\":\"5000\"}";

  /** Records what it is asked to pay, and what the listener saw before. */
  private static final class Recorder implements Payer, PaymentListener {
    final List<StreamEvent> paid = new ArrayList<>();
    final List<StreamEvent> heard = new ArrayList<>();
    RuntimeException failure;

    @Override
    public AcceptPayment acceptPayment() {
      return AcceptPayment.of(List.of());
    }

    @Override
    public PaymentAuthorization authorize(
        PaymentContext context, List<dev.mpp.client.wire.Challenge> offers) {
      throw new AssertionError("not used");
    }

    @Override
    public void payInStream(PaymentContext context, StreamEvent event) {
      assertThat(context).isSameAs(CONTEXT);
      assertThat(heard).as("the listener hears it first").contains(event);
      paid.add(event);
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public void streamEvent(PaymentContext context, StreamEvent event) {
      heard.add(event);
    }

    EventStreamPayments payments() {
      return new EventStreamPayments(this, CONTEXT, this);
    }
  }

  private static final String STREAM =
      ": keep-alive comment\n"
          + "event: message\ndata: {\"event\":1}\n\n"
          + "event: payment-need-voucher\ndata: "
          + NEED
          + "\n\n"
          + "data: first line\ndata: second line\nevent: message\n\n"
          + "id: 7\nretry: 1000\n\n"
          + "data:no space after the colon\nevent:payment-receipt\n\n"
          + "event: payment-need-voucher\n\n" // no data: not dispatched
          + "event: message\ndata: {\"event\":2}\n\n";

  static Stream<Arguments> lineEndsAndChunkings() {
    List<Arguments> cases = new ArrayList<>();
    for (String end : List.of("\n", "\r\n", "\r")) {
      for (long seed = 1; seed <= 20; seed++) {
        cases.add(Arguments.of(end.replace("\r", "CR").replace("\n", "LF"), end, seed));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "line ends {0}, chunking seed {2}")
  @MethodSource("lineEndsAndChunkings")
  void findsThePaymentEventsWhateverTheLineEndsAndChunks(String label, String end, long seed) {
    byte[] bytes = STREAM.replace("\n", end).getBytes(StandardCharsets.UTF_8);
    Recorder recorder = new Recorder();
    EventStreamPayments payments = recorder.payments();
    Random random = new Random(seed);
    int at = 0;
    while (at < bytes.length) {
      int length = Math.min(bytes.length - at, 1 + random.nextInt(40));
      if (random.nextBoolean()) {
        payments.accept(bytes, at, length);
      } else {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, at, length);
        payments.accept(buffer);
        assertThat(buffer.position()).as("the buffer is not consumed").isEqualTo(at);
      }
      at += length;
    }

    assertThat(recorder.paid)
        .containsExactly(
            new StreamEvent("payment-need-voucher", NEED),
            new StreamEvent("payment-receipt", "no space after the colon"));
  }

  @Test
  void aCarriageReturnSplitFromItsLineFeedEndsOneLineOnly() {
    Recorder recorder = new Recorder();
    EventStreamPayments payments = recorder.payments();
    byte[] first = "event: payment-receipt\r\ndata: x\r".getBytes(StandardCharsets.UTF_8);
    byte[] second = "\n\r\n".getBytes(StandardCharsets.UTF_8);
    payments.accept(first, 0, first.length);
    assertThat(recorder.paid).isEmpty();
    payments.accept(second, 0, second.length);

    assertThat(recorder.paid).containsExactly(new StreamEvent("payment-receipt", "x"));
  }

  @Test
  void anOversizedPaymentEventIsAProtocolErrorAndNeverPaid() {
    Recorder recorder = new Recorder();
    EventStreamPayments payments = recorder.payments();
    String huge = "x".repeat(EventStreamPayments.MAX_EVENT_BYTES + 10);
    byte[] bytes =
        ("event: payment-need-voucher\ndata: " + huge + "\n\n").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> payments.accept(bytes, 0, bytes.length))
        .isInstanceOf(ProtocolException.class)
        .extracting(e -> ((MppException) e).code())
        .isEqualTo(ErrorCode.MALFORMED_REQUEST);
    assertThat(recorder.paid).isEmpty();
  }

  @Test
  void oversizedOrdinaryEventsAreSkippedAndTheStreamGoesOn() {
    Recorder recorder = new Recorder();
    EventStreamPayments payments = recorder.payments();
    String huge = "y".repeat(3 * EventStreamPayments.MAX_EVENT_BYTES);
    byte[] bytes =
        ("data: " + huge + "\n\nevent: payment-receipt\ndata: ok\n\n")
            .getBytes(StandardCharsets.UTF_8);
    payments.accept(bytes, 0, bytes.length);

    assertThat(recorder.paid).containsExactly(new StreamEvent("payment-receipt", "ok"));
  }

  @Test
  void aPayersRefusalReachesTheReader() {
    Recorder recorder = new Recorder();
    recorder.failure =
        new PaymentDeniedException(
            ErrorCode.POLICY_DENIED, "agent:bot/cap/day", null, null, null, "usd", "denied");
    EventStreamPayments payments = recorder.payments();
    byte[] bytes =
        ("event: payment-need-voucher\ndata: " + NEED + "\n\n").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> payments.accept(bytes, 0, bytes.length)).isSameAs(recorder.failure);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"text/event-stream", "Text/Event-Stream; charset=utf-8", " text/event-stream "})
  void recognizesEventStreams(String contentType) {
    assertThat(EventStreamPayments.isEventStream(contentType)).isTrue();
    assertThat(EventStreamPayments.watches(200, contentType)).isTrue();
    assertThat(EventStreamPayments.watches(206, contentType)).isTrue();
    assertThat(EventStreamPayments.watches(402, contentType))
        .as("only successful streams")
        .isFalse();
    assertThat(EventStreamPayments.watches(302, contentType)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"application/json", "text/event-streams", "text/plain; x=text/event-stream"})
  void rejectsOtherContentTypes(String contentType) {
    assertThat(EventStreamPayments.isEventStream(contentType)).isFalse();
    assertThat(EventStreamPayments.isEventStream(null)).isFalse();
    assertThat(EventStreamPayments.watches(200, contentType)).isFalse();
  }
}
