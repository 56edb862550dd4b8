package dev.mpp.evm.chain;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A JSON-RPC call failed. {@link #kind()} says how, which decides what a caller may conclude: only
 * {@link Kind#RPC_ERROR} means the node answered and refused; after {@link Kind#TRANSPORT} or
 * {@link Kind#TIMEOUT} a request (for example a broadcast) may or may not have been processed.
 *
 * <p>Messages name the RPC method but never the endpoint URL (which often embeds an API key) nor
 * the request parameters (which may be a signed transaction).
 */
public final class JsonRpcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** How a call failed. */
  public enum Kind {
    /** The request could not be sent or the connection broke; the node may have processed it. */
    TRANSPORT,
    /** No response within the configured timeout; the node may have processed the request. */
    TIMEOUT,
    /** The HTTP status was not 2xx and the body was not a JSON-RPC error. */
    HTTP_STATUS,
    /** The node answered with a JSON-RPC error object. */
    RPC_ERROR,
    /** The response was not valid JSON-RPC, or the result had an unexpected shape. */
    MALFORMED_RESPONSE,
    /** The calling thread was interrupted while waiting; its interrupt flag is set again. */
    INTERRUPTED
  }

  private final Kind kind;
  private final String method;
  private final Integer httpStatus;
  private final Long rpcCode;

  JsonRpcException(
      Kind kind, String method, String message, Integer httpStatus, Long rpcCode, Throwable cause) {
    super(method + ": " + message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.method = Objects.requireNonNull(method, "method");
    this.httpStatus = httpStatus;
    this.rpcCode = rpcCode;
  }

  /** Returns how the call failed. */
  public Kind kind() {
    return kind;
  }

  /** Returns the JSON-RPC method that failed, e.g. {@code eth_sendRawTransaction}. */
  public String method() {
    return method;
  }

  /** Returns the HTTP status, when a response was received. */
  public OptionalInt httpStatus() {
    return httpStatus == null ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /** Returns the JSON-RPC error code for {@link Kind#RPC_ERROR}. */
  public OptionalLong rpcCode() {
    return rpcCode == null ? OptionalLong.empty() : OptionalLong.of(rpcCode);
  }

  /**
   * Returns whether the request may have taken effect on the node despite this failure: a transport
   * failure, timeout, interruption, an unreadable answer, or an HTTP 5xx (a gateway may fail after
   * the node behind it accepted the request).
   */
  public boolean outcomeUnknown() {
    return switch (kind) {
      case RPC_ERROR -> false;
      case HTTP_STATUS -> httpStatus == null || httpStatus >= 500;
      default -> true;
    };
  }
}
