package dev.mpp.evm.signer;

/**
 * A signer could not be created or could not sign. Messages never contain key material, passwords
 * or credentials of a signing service.
 */
public class SignerException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that must be free of secrets. */
  public SignerException(String message) {
    super(message);
  }

  /** Creates an exception with a message that must be free of secrets, and its cause. */
  public SignerException(String message, Throwable cause) {
    super(message, cause);
  }
}
