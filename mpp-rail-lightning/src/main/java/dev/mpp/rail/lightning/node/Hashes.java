package dev.mpp.rail.lightning.node;

/** Validation of the 32-byte hex values (hashes, preimages) the node SPI carries. */
final class Hashes {
  private Hashes() {}

  static void requireHex32(String hex, String name) {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(name + " must be 32 bytes of lower-case hex");
    }
  }
}
