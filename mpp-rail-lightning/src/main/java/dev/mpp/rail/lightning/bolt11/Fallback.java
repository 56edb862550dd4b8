package dev.mpp.rail.lightning.bolt11;

/**
 * An {@code f} field: an on-chain fallback. Versions 0 to 16 are witness versions, 17 is P2PKH and
 * 18 is P2SH; readers skip versions 19 to 31.
 *
 * @param version the 5-bit version
 * @param programHex the witness program or 20-byte hash, lower-case hex
 */
public record Fallback(int version, String programHex) {
  /** Validates the fields. */
  public Fallback {
    if (version < 0 || version > 18) {
      throw new IllegalArgumentException("fallback version must be 0..18: " + version);
    }
    if (programHex == null || !programHex.matches("([0-9a-f]{2})+")) {
      throw new IllegalArgumentException("fallback program must be non-empty lower-case hex");
    }
    if (version >= 17 && programHex.length() != 40) {
      throw new IllegalArgumentException("P2PKH/P2SH fallback must be a 20-byte hash");
    }
  }
}
