package dev.mpp.client.wire;

/**
 * The problem types MPP servers use under {@code https://paymentauth.org/problems/}, with whether a
 * rejection of that type proves that no money moved.
 */
public enum ProblemType {
  /** Payment is required (a fresh 402). */
  PAYMENT_REQUIRED("payment-required", true),
  /** The credential paid less than asked. */
  PAYMENT_INSUFFICIENT("payment-insufficient", false),
  /** The challenge expired before the credential arrived. */
  PAYMENT_EXPIRED("payment-expired", true),
  /** The server could not verify the payment; settlement may have been attempted. */
  VERIFICATION_FAILED("verification-failed", false),
  /** The server does not support the credential's method. */
  METHOD_UNSUPPORTED("method-unsupported", true),
  /** The credential could not be decoded. */
  MALFORMED_CREDENTIAL("malformed-credential", true),
  /** The echoed challenge is unknown, tampered with or already used. */
  INVALID_CHALLENGE("invalid-challenge", true),
  /** The payload is structurally invalid. */
  INVALID_PAYLOAD("invalid-payload", true),
  /** The request was malformed. */
  BAD_REQUEST("bad-request", true),
  /** The payer must act (e.g. complete 3-D Secure) before the payment can proceed. */
  PAYMENT_ACTION_REQUIRED("payment-action-required", false),
  /** The server failed while verifying or settling ({@code mppx} sends it with a 500). */
  INTERNAL_PAYMENT_ERROR("internal-payment-error", false),
  /**
   * Session (410): the server knows no channel with this id. Whether the voucher could still settle
   * is for the session payer to decide (it reads the escrow), so for everyone else this proves
   * nothing.
   */
  SESSION_CHANNEL_NOT_FOUND("session/channel-not-found", false),
  /** Session (410): the channel is closed or has a pending forced close. */
  SESSION_CHANNEL_FINALIZED("session/channel-finalized", false),
  /** A type this SDK does not know; treated as "money may have moved". */
  UNKNOWN("", false);

  /** The common prefix of the registered type URIs. */
  public static final String BASE = "https://paymentauth.org/problems/";

  private final String slug;
  private final boolean beforeSettlement;

  ProblemType(String slug, boolean beforeSettlement) {
    this.slug = slug;
    this.beforeSettlement = beforeSettlement;
  }

  /** The type URI, e.g. {@code https://paymentauth.org/problems/payment-expired}. */
  public String uri() {
    return this == UNKNOWN ? "about:blank" : BASE + slug;
  }

  /**
   * Whether this type means the session's channel is gone (HTTP 410): the client should forget the
   * channel and open a new one.
   */
  public boolean channelGone() {
    return this == SESSION_CHANNEL_NOT_FOUND || this == SESSION_CHANNEL_FINALIZED;
  }

  /**
   * Whether a credential rejected with this type can be taken as never settled, so that its
   * reservation may be released. Conservative: when in doubt, false (the amount stays counted as
   * "unknown" until reconciled).
   */
  public boolean provesNoSettlement() {
    return beforeSettlement;
  }

  /** Maps a type URI (or a bare slug) to the enum; unknown values give {@link #UNKNOWN}. */
  public static ProblemType fromUri(String type) {
    if (type == null) {
      return UNKNOWN;
    }
    String slug = type.startsWith(BASE) ? type.substring(BASE.length()) : type;
    for (ProblemType value : values()) {
      if (value != UNKNOWN && value.slug.equals(slug)) {
        return value;
      }
    }
    return UNKNOWN;
  }
}
