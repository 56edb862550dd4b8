package dev.mpp.client;

/**
 * Machine-readable reason for every failure this SDK reports. Codes are stable: log them, switch on
 * them, and show them to operators; never parse exception messages.
 */
public enum ErrorCode {
  /**
   * A {@code WWW-Authenticate: Payment} challenge violates the auth-param grammar or lacks a field.
   */
  MALFORMED_CHALLENGE,
  /** A header field or decoded value is larger than the SDK accepts. */
  HEADER_TOO_LARGE,
  /** A challenge's {@code request} is not base64url JSON of an object, or a field is invalid. */
  MALFORMED_REQUEST,
  /** An amount is not a non-negative base-10 integer string, or is out of range. */
  INVALID_AMOUNT,
  /** An {@code Authorization: Payment} credential cannot be decoded. */
  MALFORMED_CREDENTIAL,
  /** A {@code Payment-Receipt} cannot be decoded, is not a success, or lacks a reference. */
  MALFORMED_RECEIPT,
  /** An {@code application/problem+json} body cannot be decoded. */
  MALFORMED_PROBLEM,
  /** An {@code Accept-Payment} header value is malformed. */
  MALFORMED_ACCEPT_PAYMENT,
  /** A body digest value is malformed or uses no supported algorithm. */
  MALFORMED_DIGEST,
  /** A header value would contain CR, LF or other characters HTTP does not allow. */
  UNSAFE_HEADER_VALUE,

  /** A 402 response carried no usable {@code Payment} challenge. */
  NO_PAYMENT_CHALLENGE,
  /** Every offered challenge has expired (allowing for the configured clock skew). */
  CHALLENGE_EXPIRED,
  /** The challenge's {@code digest} does not match the request body the client would send. */
  DIGEST_MISMATCH,
  /** A credential would travel over plain HTTP to a non-loopback host. */
  INSECURE_TRANSPORT,
  /** A credential would reach another origin than the one that issued the challenge. */
  CROSS_ORIGIN,
  /** The request body cannot be sent a second time, so the paid retry is impossible. */
  BODY_NOT_REPLAYABLE,
  /** No offered challenge can be paid by a configured rail at a known price. */
  NO_PAYABLE_OFFER,
  /** A payment request is well-formed but a rail cannot honour it (wrong chain, bad split, …). */
  UNSUPPORTED_REQUEST,

  /** The spending policy denies the payment. */
  POLICY_DENIED,
  /** The agent's or fleet's budget has expired. */
  BUDGET_EXPIRED,
  /** The approval callback declined, failed or timed out. */
  APPROVAL_DENIED,

  /** The rail failed before any money could move (signing, token creation, broadcast refused). */
  RAIL_FAILED,
  /** The ledger could not record the payment; nothing was signed. */
  LEDGER_FAILURE,
  /** The server rejected the credential. */
  PAYMENT_REJECTED,

  /** The credential may have been used but the result is unknown; it still counts against caps. */
  OUTCOME_UNKNOWN,

  /** The SDK was configured inconsistently (bad policy file, missing key, invalid option). */
  INVALID_CONFIGURATION;
}
