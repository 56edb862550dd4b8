package dev.mpp.client;

import java.net.URI;
import java.util.Locale;

/** Origin arithmetic for the credential-scoping rules (RFC 6454 serialization). */
final class Origins {
  private Origins() {}

  static String of(URI url) {
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    int port = url.getPort();
    if (port == -1) {
      port = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
    }
    return scheme + "://" + host(url) + ":" + port;
  }

  static String host(URI url) {
    String host = url.getHost().toLowerCase(Locale.ROOT);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Loopback by literal only: resolving names here would let DNS decide where money goes. */
  static boolean isLoopback(URI url) {
    String host = host(url);
    if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")) {
      return true;
    }
    if (host.equals("0:0:0:0:0:0:0:1")) {
      return true;
    }
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }
}
