package dev.mpp.cli;

import dev.mpp.client.ErrorCode;

/** The CLI's exit codes. Public contract: documented in README and {@code mpp --help}. */
final class ExitCodes {
  /** Success: 2xx, paid or free. */
  static final int OK = 0;

  /** Anything else. */
  static final int OTHER = 1;

  /** Usage or configuration error (bad flag, missing key, unreadable policy file). */
  static final int USAGE = 2;

  /** Malformed challenge or header (decode: no valid challenge). */
  static final int MALFORMED = 3;

  /** The final HTTP status is 400 or more (including a 402 not paid for another reason). */
  static final int HTTP_ERROR = 22;

  /** Payment refused by the wallet policy; nothing paid. */
  static final int POLICY_REFUSED = 75;

  /** No payable offer (unsupported methods, currencies or chains). */
  static final int NO_PAYABLE_OFFER = 76;

  /** Payment outcome unknown. */
  static final int OUTCOME_UNKNOWN = 77;

  private ExitCodes() {}

  static int of(ErrorCode code) {
    return switch (code) {
      case POLICY_DENIED, BUDGET_EXPIRED, APPROVAL_DENIED -> POLICY_REFUSED;
      case NO_PAYABLE_OFFER, UNSUPPORTED_REQUEST -> NO_PAYABLE_OFFER;
      case OUTCOME_UNKNOWN -> OUTCOME_UNKNOWN;
      case MALFORMED_CHALLENGE,
          HEADER_TOO_LARGE,
          MALFORMED_REQUEST,
          INVALID_AMOUNT,
          MALFORMED_CREDENTIAL,
          MALFORMED_RECEIPT,
          MALFORMED_PROBLEM,
          MALFORMED_ACCEPT_PAYMENT,
          MALFORMED_DIGEST,
          UNSAFE_HEADER_VALUE,
          NO_PAYMENT_CHALLENGE ->
          MALFORMED;
      case INVALID_CONFIGURATION -> USAGE;
      case CHALLENGE_EXPIRED,
          DIGEST_MISMATCH,
          INSECURE_TRANSPORT,
          CROSS_ORIGIN,
          BODY_NOT_REPLAYABLE,
          PAYMENT_REJECTED ->
          HTTP_ERROR;
      case RAIL_FAILED, LEDGER_FAILURE -> OTHER;
    };
  }
}
