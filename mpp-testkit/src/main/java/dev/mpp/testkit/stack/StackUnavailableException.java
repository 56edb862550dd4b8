package dev.mpp.testkit.stack;

/**
 * The local stack cannot start: Node.js or the installed reference server is missing, a process
 * died during startup, or it did not become ready in time. The message says what to do.
 */
public final class StackUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that tells the reader how to fix the problem. */
  public StackUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the underlying cause. */
  public StackUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
