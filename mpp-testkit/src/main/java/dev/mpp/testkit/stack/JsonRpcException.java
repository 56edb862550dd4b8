package dev.mpp.testkit.stack;

/**
 * A JSON-RPC call to the local chain failed: an error object, a transport failure, or a timeout.
 */
public final class JsonRpcException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Integer code;

  /** An error object returned by the node. */
  public JsonRpcException(String method, int code, String message) {
    super(method + " failed: " + message + " (code " + code + ")");
    this.code = code;
  }

  /** A failure without a JSON-RPC error object (I/O, HTTP status, malformed response). */
  public JsonRpcException(String message, Throwable cause) {
    super(message, cause);
    this.code = null;
  }

  /** The JSON-RPC error code, or {@code null} when the call failed below JSON-RPC. */
  public Integer code() {
    return code;
  }
}
