package dev.mpp.client;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Stands in for a transport failure whose message quoted the credential (some HTTP libraries echo
 * header values when they reject them). Keeps the original type name and stack trace so the failure
 * stays diagnosable, and drops the text.
 */
final class RedactedCause extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Windows of the token that are looked for: any quoted run of at least {@code WINDOW + STEP - 1}
   * characters contains one, so truncated or partial quotes are caught too.
   */
  private static final int WINDOW = 24;

  private static final int STEP = 12;

  private RedactedCause(Throwable original) {
    super(original.getClass().getName() + " (message withheld: it quoted the credential)");
    setStackTrace(original.getStackTrace());
  }

  /**
   * Returns {@code cause} itself, or a redacted stand-in when its message, or the message of any
   * cause or suppressed exception below it, quotes part of {@code credentialHeader}.
   */
  static Throwable scrub(Throwable cause, String credentialHeader) {
    if (cause == null || credentialHeader == null || credentialHeader.isEmpty()) {
      return cause;
    }
    return quotes(cause, credentialHeader, Collections.newSetFromMap(new IdentityHashMap<>()))
        ? new RedactedCause(cause)
        : cause;
  }

  private static boolean quotes(Throwable t, String secret, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return false;
    }
    if (quotes(t.getMessage(), secret) || quotes(t.toString(), secret)) {
      return true;
    }
    for (Throwable suppressed : t.getSuppressed()) {
      if (quotes(suppressed, secret, seen)) {
        return true;
      }
    }
    return quotes(t.getCause(), secret, seen);
  }

  private static boolean quotes(String text, String secret) {
    if (text == null) {
      return false;
    }
    if (secret.length() <= WINDOW) {
      return text.contains(secret);
    }
    for (int start = 0; start + WINDOW <= secret.length(); start += STEP) {
      if (text.contains(secret.substring(start, start + WINDOW))) {
        return true;
      }
    }
    return false;
  }
}
