package dev.mpp.client;

import java.util.Objects;

/**
 * A payment event a server sent inside a streamed response (Server-Sent Events), e.g. a Tempo
 * session's {@code payment-need-voucher} ("the voucher is used up: send one for at least this
 * much") or its closing {@code payment-receipt}.
 *
 * @param type the SSE event type, e.g. {@code payment-need-voucher}
 * @param data the event's data (the {@code data:} lines joined by newlines), usually JSON
 */
public record StreamEvent(String type, String data) {

  /** Validates the components. */
  public StreamEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }

  /** Whether this is a request for more payment ({@code payment-need-voucher}). */
  public boolean isPaymentDemand() {
    return "payment-need-voucher".equals(type);
  }
}
