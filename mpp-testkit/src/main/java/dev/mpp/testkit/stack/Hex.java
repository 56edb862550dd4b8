package dev.mpp.testkit.stack;

import java.math.BigInteger;
import java.util.regex.Pattern;

/** Hex quantity and address helpers for the JSON-RPC wire format. */
final class Hex {

  private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
  private static final Pattern DATA = Pattern.compile("0x([0-9a-fA-F]{2})*");

  private Hex() {}

  static BigInteger toBigInteger(String quantity) {
    if (quantity == null || !quantity.startsWith("0x") || quantity.length() < 3) {
      throw new IllegalArgumentException("not a hex quantity: " + quantity);
    }
    return new BigInteger(quantity.substring(2), 16);
  }

  static long toLong(String quantity) {
    return toBigInteger(quantity).longValueExact();
  }

  static String requireAddress(String address, String what) {
    if (address == null || !ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException(
          what + " is not a 0x-prefixed 20-byte address: " + address);
    }
    return address;
  }

  static String requireData(String data, String what) {
    if (data == null || !DATA.matcher(data).matches()) {
      throw new IllegalArgumentException(what + " is not 0x-prefixed hex bytes");
    }
    return data;
  }

  /** The address as a left-padded 32-byte ABI word, without {@code 0x}. */
  static String addressWord(String address) {
    return "0".repeat(24) + address.substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
