package dev.mpp.client.wire;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.ProtocolException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An RFC 9530 content digest ({@code sha-256=:<base64>:} or {@code sha-512=:…:}) binding a
 * challenge to the request body. The reference client's unwrapped form {@code sha-256=<base64>} is
 * accepted too. A value may list several algorithms; unknown ones are ignored.
 */
public final class BodyDigest {
  private record Entry(String algorithm, byte[] hash) {}

  private final List<Entry> entries;

  private BodyDigest(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses a digest value.
   *
   * @throws ProtocolException with {@link ErrorCode#MALFORMED_DIGEST} when malformed or when no
   *     listed algorithm is supported
   */
  public static BodyDigest parse(String value) {
    Objects.requireNonNull(value, "value");
    List<Entry> entries = new ArrayList<>();
    for (String member : value.split(",", -1)) {
      String part = member.strip();
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw malformed("digest member must be algorithm=value");
      }
      String algorithm = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String encoded = part.substring(eq + 1).strip();
      if (encoded.length() >= 2 && encoded.startsWith(":") && encoded.endsWith(":")) {
        encoded = encoded.substring(1, encoded.length() - 1);
      }
      int length = hashLength(algorithm);
      if (length < 0) {
        continue;
      }
      byte[] hash;
      try {
        hash = Base64.getDecoder().decode(encoded);
      } catch (IllegalArgumentException e) {
        throw malformed("digest value is not base64");
      }
      if (hash.length != length) {
        throw malformed(algorithm + " digest must be " + length + " bytes");
      }
      entries.add(new Entry(algorithm, hash));
    }
    if (entries.isEmpty()) {
      throw malformed("digest lists no supported algorithm (sha-256, sha-512)");
    }
    return new BodyDigest(entries);
  }

  /** The SHA-256 digest of {@code body}, as {@code sha-256=:<base64>:}. */
  public static BodyDigest sha256(byte[] body) {
    return new BodyDigest(List.of(new Entry("sha-256", hash("SHA-256", body))));
  }

  /** The SHA-512 digest of {@code body}, as {@code sha-512=:<base64>:}. */
  public static BodyDigest sha512(byte[] body) {
    return new BodyDigest(List.of(new Entry("sha-512", hash("SHA-512", body))));
  }

  /**
   * Whether {@code body} matches every supported algorithm this digest lists (an empty body is the
   * empty byte array).
   */
  public boolean matches(byte[] body) {
    for (Entry entry : entries) {
      String jca = entry.algorithm.equals("sha-256") ? "SHA-256" : "SHA-512";
      if (!MessageDigest.isEqual(entry.hash, hash(jca, body))) {
        return false;
      }
    }
    return true;
  }

  private static int hashLength(String algorithm) {
    return switch (algorithm) {
      case "sha-256" -> 32;
      case "sha-512" -> 64;
      default -> -1;
    };
  }

  private static byte[] hash(String jca, byte[] body) {
    try {
      return MessageDigest.getInstance(jca).digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is required of every JVM", e);
    }
  }

  private static ProtocolException malformed(String message) {
    return new ProtocolException(ErrorCode.MALFORMED_DIGEST, message);
  }

  /** The RFC 9530 form, e.g. {@code sha-256=:Bxp4…=:}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Entry entry : entries) {
      if (!out.isEmpty()) {
        out.append(", ");
      }
      out.append(entry.algorithm)
          .append("=:")
          .append(Base64.getEncoder().encodeToString(entry.hash))
          .append(':');
    }
    return out.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BodyDigest other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
