package dev.mpp.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** Origin arithmetic for the credential-scoping rules (RFC 6454 serialization). */
final class Origins {
  private Origins() {}

  /**
   * {@code scheme://host:port} with the default port made explicit, the host lower-cased, and an
   * IPv6 literal in one canonical spelling, so that {@code [::1]} and {@code [0:0:0:0:0:0:0:1]} are
   * the same origin.
   */
  static String of(URI url) {
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    int port = url.getPort();
    if (port == -1) {
      port = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
    }
    String host = host(url);
    Inet6Address ipv6 = ipv6Literal(host);
    String authority = ipv6 != null ? "[" + ipv6.getHostAddress() + "]" : host;
    return scheme + "://" + authority + ":" + port;
  }

  /** The host without IPv6 brackets, lower-cased. */
  static String host(URI url) {
    String host = url.getHost().toLowerCase(Locale.ROOT);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Loopback by literal only: resolving names here would let DNS decide where money goes. */
  static boolean isLoopback(URI url) {
    String host = host(url);
    if (host.equals("localhost") || host.endsWith(".localhost")) {
      return true;
    }
    Inet6Address ipv6 = ipv6Literal(host);
    if (ipv6 != null) {
      return ipv6.isLoopbackAddress();
    }
    String[] octets = host.split("\\.", -1);
    if (octets.length != 4 || !octets[0].equals("127")) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty()
          || octet.length() > 3
          || !octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      if (Integer.parseInt(octet) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * The address of an IPv6 literal, or null for anything else. The brackets make {@link
   * InetAddress#getByName} parse a literal or fail; it never falls back to a name lookup.
   */
  private static Inet6Address ipv6Literal(String host) {
    if (host.indexOf(':') < 0) {
      return null;
    }
    try {
      InetAddress address = InetAddress.getByName("[" + host + "]");
      return address instanceof Inet6Address v6 ? v6 : null;
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }
}
