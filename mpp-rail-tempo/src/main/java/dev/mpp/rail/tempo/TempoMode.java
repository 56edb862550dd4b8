package dev.mpp.rail.tempo;

/** How a Tempo charge is settled. */
public enum TempoMode {
  /**
   * The client signs a transaction and the server broadcasts it (credential {@code
   * type="transaction"}); the default, and the only mode when the server sponsors fees.
   */
  PULL("pull"),
  /**
   * The client broadcasts the transaction, waits for it to succeed and sends its hash (credential
   * {@code type="hash"}); the client pays the fees.
   */
  PUSH("push"),
  /**
   * Zero-amount charges: an EIP-712 proof of account control (credential {@code type="proof"}). Not
   * configurable: it applies whenever the amount is zero.
   */
  PROOF("proof");

  private final String wireName;

  TempoMode(String wireName) {
    this.wireName = wireName;
  }

  /** The name used in {@code methodDetails.supportedModes}. */
  public String wireName() {
    return wireName;
  }
}
