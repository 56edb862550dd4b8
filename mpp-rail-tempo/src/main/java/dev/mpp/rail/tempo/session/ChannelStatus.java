package dev.mpp.rail.tempo.session;

/** Where a channel stands, as far as the client knows. */
public enum ChannelStatus {
  /**
   * The open transaction was signed and sent; the server has not confirmed it yet. The deposit may
   * or may not be on chain.
   */
  OPENING,
  /** The server accepted the open: vouchers can be sent. */
  OPEN,
  /** A close was sent and its outcome is not known yet. */
  CLOSING,
  /** Closed (or abandoned): no voucher will be signed on it again. */
  CLOSED;

  /** Whether vouchers may still be signed on a channel in this state. */
  public boolean active() {
    return this != CLOSED;
  }
}
