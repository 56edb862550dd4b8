package dev.mpp.rail.lightning.bolt11;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A decoded BOLT #11 invoice whose signature has been verified. Byte fields are lower-case hex;
 * invoices are public, so none of them is a secret.
 *
 * @param encoded the invoice as given (lower case)
 * @param network the network its prefix names
 * @param amountMsat the requested amount in millisatoshi; empty for an "any amount" invoice
 * @param timestamp when it was created
 * @param paymentHash the 32-byte payment hash ({@code p})
 * @param paymentSecret the 32-byte payment secret ({@code s}), if present
 * @param description the short description ({@code d}), if present
 * @param descriptionHash SHA-256 of a long description ({@code h}), if present
 * @param payee the payee node's 33-byte public key ({@code n}, or recovered from the signature)
 * @param expirySeconds seconds after {@code timestamp} it stays payable ({@code x}, default 3600)
 * @param minFinalCltvExpiry the final CLTV delta ({@code c}, default 18)
 * @param fallbacks on-chain fallbacks ({@code f}), most preferred first
 * @param routes private routes ({@code r}), each a list of hops
 * @param features feature bits ({@code 9})
 * @param metadata payment metadata ({@code m}), if present
 */
public record Bolt11Invoice(
    String encoded,
    Network network,
    OptionalLong amountMsat,
    Instant timestamp,
    String paymentHash,
    Optional<String> paymentSecret,
    Optional<String> description,
    Optional<String> descriptionHash,
    String payee,
    long expirySeconds,
    long minFinalCltvExpiry,
    List<Fallback> fallbacks,
    List<List<RouteHop>> routes,
    Features features,
    Optional<String> metadata) {

  /** Default {@code x} when the invoice has none. */
  public static final long DEFAULT_EXPIRY_SECONDS = 3600;

  /** Default {@code c} when the invoice has none. */
  public static final long DEFAULT_MIN_FINAL_CLTV_EXPIRY = 18;

  /** Rejects missing fields and copies the lists. */
  public Bolt11Invoice {
    Objects.requireNonNull(encoded, "encoded");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(amountMsat, "amountMsat");
    Objects.requireNonNull(timestamp, "timestamp");
    requireHex32(paymentHash, "paymentHash");
    paymentSecret.ifPresent(s -> requireHex32(s, "paymentSecret"));
    Objects.requireNonNull(description, "description");
    descriptionHash.ifPresent(h -> requireHex32(h, "descriptionHash"));
    if (payee == null || !payee.matches("0[23][0-9a-f]{64}")) {
      throw new IllegalArgumentException("payee must be a compressed public key in hex");
    }
    if (expirySeconds < 0 || minFinalCltvExpiry < 0) {
      throw new IllegalArgumentException("expiry and CLTV delta must not be negative");
    }
    fallbacks = List.copyOf(fallbacks);
    routes = routes.stream().map(List::copyOf).toList();
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(metadata, "metadata");
  }

  /**
   * When the invoice stops being payable: {@code timestamp + expirySeconds}.
   *
   * @return the expiry instant
   */
  public Instant expiresAt() {
    return timestamp.plusSeconds(expirySeconds);
  }

  private static void requireHex32(String hex, String name) {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(name + " must be 32 bytes of lower-case hex");
    }
  }
}
