package dev.mpp.rail.lightning.bolt11;

/** The Bitcoin network an invoice is payable on, named by its BOLT #11 prefix. */
public enum Network {
  /** Bitcoin mainnet, prefix {@code lnbc}. */
  MAINNET("lnbc"),
  /** Bitcoin regtest, prefix {@code lnbcrt}. */
  REGTEST("lnbcrt"),
  /** Bitcoin signet, prefix {@code lntbs}. */
  SIGNET("lntbs"),
  /** Bitcoin testnet, prefix {@code lntb}; accepted only when a decoder is configured for it. */
  TESTNET("lntb");

  private final String prefix;

  Network(String prefix) {
    this.prefix = prefix;
  }

  /**
   * Returns the invoice prefix.
   *
   * @return e.g. {@code lnbc}
   */
  public String prefix() {
    return prefix;
  }
}
