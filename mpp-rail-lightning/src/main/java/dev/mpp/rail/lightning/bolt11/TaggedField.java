package dev.mpp.rail.lightning.bolt11;

/** The 5-bit type codes of BOLT #11 tagged fields (the bech32 letter in comments). */
final class TaggedField {
  static final int PAYMENT_HASH = 1; // p
  static final int ROUTE = 3; // r
  static final int FEATURES = 5; // 9
  static final int EXPIRY = 6; // x
  static final int FALLBACK = 9; // f
  static final int DESCRIPTION = 13; // d
  static final int PAYMENT_SECRET = 16; // s
  static final int PAYEE = 19; // n
  static final int DESCRIPTION_HASH = 23; // h
  static final int MIN_FINAL_CLTV_EXPIRY = 24; // c
  static final int METADATA = 27; // m

  private TaggedField() {}
}
