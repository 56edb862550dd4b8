package dev.mpp.okhttp;

import dev.mpp.client.MppException;
import java.io.IOException;

/**
 * A payment failure surfaced through OkHttp. Interceptors may only fail with {@link IOException}
 * (anything else cancels the call and, for {@code Call.enqueue}, reaches the thread's uncaught
 * exception handler), so the typed {@link MppException} travels as this exception's cause.
 */
public final class MppIOException extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * Wraps a payment failure.
   *
   * @param error the typed failure
   */
  public MppIOException(MppException error) {
    super("[" + error.code() + "] " + error.getMessage(), error);
  }

  /** The typed payment failure: switch on its {@link MppException#code()}. */
  public MppException error() {
    return (MppException) getCause();
  }
}
