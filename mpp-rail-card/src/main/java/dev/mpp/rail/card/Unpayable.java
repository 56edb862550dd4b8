package dev.mpp.rail.card;

/** A challenge this rail will not pay, with the reason shown in the choice rationale. */
final class Unpayable extends Exception {
  private static final long serialVersionUID = 1L;

  Unpayable(String reason) {
    // The reason is the whole value: no cause, no stack trace.
    super(reason, null, false, false);
  }
}
