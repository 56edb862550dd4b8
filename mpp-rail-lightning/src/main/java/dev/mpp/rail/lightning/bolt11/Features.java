package dev.mpp.rail.lightning.bolt11;

import java.util.BitSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code 9} field: feature bits the payee supports or requires. By the "it's ok to be odd"
 * rule, an unknown odd (optional) bit is ignored and an unknown even (required) bit makes the
 * invoice unpayable.
 *
 * @param bits the set bit numbers (bit 0 is the least significant)
 */
public record Features(Set<Integer> bits) {
  /**
   * Invoice features this payer understands (BOLT #9 context "9"): var_onion_optin, payment_secret,
   * basic_mpp, option_route_blinding, option_payment_metadata.
   */
  private static final Set<Integer> KNOWN = Set.of(8, 9, 14, 15, 16, 17, 24, 25, 48, 49);

  /** No features. */
  public static final Features NONE = new Features(Set.of());

  /** Copies the set and rejects negative bit numbers. */
  public Features {
    if (bits.stream().anyMatch(b -> b < 0)) {
      throw new IllegalArgumentException("feature bit numbers are non-negative");
    }
    bits = Set.copyOf(bits);
  }

  /**
   * Whether a feature is offered, as either its required (even) or optional (odd) bit.
   *
   * @param evenBit the required bit of the pair, e.g. 14 for payment_secret
   * @return true when bit {@code evenBit} or {@code evenBit + 1} is set
   */
  public boolean supports(int evenBit) {
    return bits.contains(evenBit) || bits.contains(evenBit + 1);
  }

  static Features read(int[] fiveBit) {
    Set<Integer> set = new TreeSet<>();
    for (int i = 0; i < fiveBit.length; i++) {
      int group = fiveBit[fiveBit.length - 1 - i];
      for (int j = 0; j < 5; j++) {
        if (((group >>> j) & 1) == 1) {
          set.add(i * 5 + j);
        }
      }
    }
    return new Features(set);
  }

  int[] write() {
    BitSet set = new BitSet();
    bits.forEach(set::set);
    int groups = (set.length() + 4) / 5;
    int[] out = new int[groups];
    for (int bit : bits) {
      out[groups - 1 - bit / 5] |= 1 << (bit % 5);
    }
    return out;
  }

  void requireKnownEvenBits() {
    for (int bit : new TreeSet<>(bits)) {
      if (bit % 2 == 0 && !KNOWN.contains(bit)) {
        throw new Bolt11Exception("invoice requires unknown feature bit " + bit);
      }
    }
  }
}
