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
  /** Session: the voucher or close signature did not verify (rejected before acceptance). */
  SESSION_INVALID_SIGNATURE("session/invalid-signature", true),
  /** Session: the voucher's signer is not authorized for the channel. */
  SESSION_SIGNER_MISMATCH("session/signer-mismatch", true),
  /** Session: the voucher exceeds the channel's deposit; top up first. */
  SESSION_AMOUNT_EXCEEDS_DEPOSIT("session/amount-exceeds-deposit", true),
  /** Session: the voucher raises the cumulative amount by less than the server's minimum. */
  SESSION_DELTA_TOO_SMALL("session/delta-too-small", true),
  /** Session (410): the server knows no channel with this id. */
  SESSION_CHANNEL_NOT_FOUND("session/channel-not-found", true),
  /** Session (410): the channel is closed or has a pending forced close. */
  SESSION_CHANNEL_FINALIZED("session/channel-finalized", true),
  /** Session: the challenge id is unknown or expired. */
  SESSION_CHALLENGE_NOT_FOUND("session/challenge-not-found", true),
  /** Session: the accepted vouchers do not cover this request. */
  SESSION_INSUFFICIENT_BALANCE("session/insufficient-balance", true),
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
