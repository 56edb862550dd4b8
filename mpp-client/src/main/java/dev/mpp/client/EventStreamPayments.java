package dev.mpp.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Watches a paid {@code text/event-stream} response as its caller reads it and hands every {@code
 * payment-*} event to the {@link Payer} before the bytes that follow it are read: a Tempo session
 * stream pauses after {@code payment-need-voucher} until a voucher arrives, and this pays it.
 *
 * <p>The HTTP adapters feed it the body bytes in order ({@link #accept(ByteBuffer)}); the caller
 * reads the stream as usual. Parsing follows the WHATWG Server-Sent Events rules (CR, LF or CRLF
 * line ends, {@code event:} and {@code data:} fields, comments ignored). Only payment events are
 * kept, each at most {@value #MAX_EVENT_BYTES} bytes: an oversized payment event is a protocol
 * error, never paid. One instance serves one response, read by one thread at a time.
 */
public final class EventStreamPayments {

  /** The most bytes of one payment event's data (and of any one line) that are considered. */
  public static final int MAX_EVENT_BYTES = 64 * 1024;

  private static final String PAYMENT_EVENT_PREFIX = "payment-";

  private final Payer payer;
  private final PaymentContext context;
  private final PaymentListener listener;

  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lineTooLong;
  private boolean afterCarriageReturn;

  private String eventType = "";
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private boolean dataTooLong;

  EventStreamPayments(Payer payer, PaymentContext context, PaymentListener listener) {
    this.payer = Objects.requireNonNull(payer, "payer");
    this.context = Objects.requireNonNull(context, "context");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * Whether a {@code Content-Type} value names a Server-Sent Events stream.
   *
   * @param contentType the header value, or null
   */
  public static boolean isEventStream(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT).equals("text/event-stream");
  }

  /**
   * Whether an adapter watches a response to a credential with this status and {@code
   * Content-Type}: a successful event stream (only then can the server ask for more payment as it
   * goes).
   *
   * @param status the HTTP status
   * @param contentType the {@code Content-Type} value, or null
   */
  public static boolean watches(int status, String contentType) {
    return status / 100 == 2 && isEventStream(contentType);
  }

  /**
   * Scans the buffer's remaining bytes without consuming them (its position is unchanged).
   *
   * @throws MppException when the payer could not pay a demand, or a payment event is malformed;
   *     the adapter fails the body read with it
   */
  public synchronized void accept(ByteBuffer bytes) {
    ByteBuffer view = bytes.duplicate();
    while (view.hasRemaining()) {
      next(view.get());
    }
  }

  /**
   * Scans {@code length} bytes of {@code bytes} from {@code offset}.
   *
   * @throws MppException when the payer could not pay a demand, or a payment event is malformed
   */
  public synchronized void accept(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    for (int i = offset; i < offset + length; i++) {
      next(bytes[i]);
    }
  }

  private void next(byte b) {
    if (b == '\n' && afterCarriageReturn) {
      afterCarriageReturn = false; // the LF of a CRLF: the line already ended at the CR
      return;
    }
    afterCarriageReturn = b == '\r';
    if (b == '\n' || b == '\r') {
      endOfLine();
      return;
    }
    if (lineLength == MAX_EVENT_BYTES) {
      lineTooLong = true;
      return;
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, Math.min(MAX_EVENT_BYTES, line.length * 2));
    }
    line[lineLength++] = b;
  }

  private void endOfLine() {
    String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
    boolean truncated = lineTooLong;
    lineLength = 0;
    lineTooLong = false;
    if (line.length > 4096) {
      line = new byte[256]; // one long line does not pin 64 KiB for the rest of the stream
    }
    if (text.isEmpty() && !truncated) {
      dispatch();
      return;
    }
    if (text.startsWith(":")) {
      return; // comment (keep-alive)
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> eventType = truncated ? "" : value;
      case "data" -> {
        if (truncated || data.length() + value.length() + 1 > MAX_EVENT_BYTES) {
          dataTooLong = true;
        } else {
          data.append(value).append('\n');
        }
        hasData = true;
      }
      default -> {
        // id, retry and unknown fields do not concern payments
      }
    }
  }

  private void dispatch() {
    String type = eventType;
    boolean had = hasData;
    boolean tooLong = dataTooLong;
    String payload = data.isEmpty() ? "" : data.substring(0, data.length() - 1);
    eventType = "";
    data.setLength(0);
    hasData = false;
    dataTooLong = false;
    if (!had || !type.startsWith(PAYMENT_EVENT_PREFIX)) {
      return;
    }
    if (tooLong) {
      throw new ProtocolException(
          ErrorCode.MALFORMED_REQUEST,
          "server sent a " + type + " event larger than " + MAX_EVENT_BYTES + " bytes");
    }
    StreamEvent event = new StreamEvent(type, payload);
    try {
      listener.streamEvent(context, event);
    } catch (RuntimeException e) {
      // a listener never breaks the stream
    }
    payer.payInStream(context, event);
  }
}
