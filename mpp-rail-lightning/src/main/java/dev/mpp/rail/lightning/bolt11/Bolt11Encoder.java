package dev.mpp.rail.lightning.bolt11;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Mints signed BOLT #11 invoices. The payer never needs this; it exists so that tests and test
 * doubles (an in-memory Lightning network, REST-shaped node fakes) hand out real invoices that the
 * decoder verifies exactly as it would a node's.
 *
 * <p>Fields are written in the order {@code p d h s x c f r 9 n m}; {@code x} and {@code c} only
 * when set. Every setter validates at once, and each single-valued setter may be called once.
 */
public final class Bolt11Encoder {
  private Network network;
  private Long amountMsat;
  private Instant timestamp;
  private String paymentHash;
  private String paymentSecret;
  private String description;
  private String descriptionHash;
  private Long expirySeconds;
  private Long minFinalCltvExpiry;
  private final List<Fallback> fallbacks = new ArrayList<>();
  private final List<List<RouteHop>> routes = new ArrayList<>();
  private Features features;
  private boolean includePayee;
  private String metadata;

  private Bolt11Encoder() {}

  /**
   * Starts a new invoice.
   *
   * @return an empty encoder
   */
  public static Bolt11Encoder builder() {
    return new Bolt11Encoder();
  }

  /**
   * Sets the network (required).
   *
   * @param value the network
   * @return this
   */
  public Bolt11Encoder network(Network value) {
    network = once(network, Objects.requireNonNull(value, "network"), "network");
    return this;
  }

  /**
   * Sets the amount; omit for an "any amount" invoice.
   *
   * @param msat positive
   * @return this
   */
  public Bolt11Encoder amountMsat(long msat) {
    if (msat <= 0) {
      throw new IllegalArgumentException("amountMsat must be positive");
    }
    amountMsat = once(amountMsat, msat, "amountMsat");
    return this;
  }

  /**
   * Sets the creation time (required, whole seconds).
   *
   * @param value the time
   * @return this
   */
  public Bolt11Encoder timestamp(Instant value) {
    long s = Objects.requireNonNull(value, "timestamp").getEpochSecond();
    if (s < 0 || s >= (1L << 35)) {
      throw new IllegalArgumentException("timestamp must fit in 35 bits");
    }
    timestamp = once(timestamp, Instant.ofEpochSecond(s), "timestamp");
    return this;
  }

  /**
   * Sets the payment hash (required).
   *
   * @param hex 32 bytes
   * @return this
   */
  public Bolt11Encoder paymentHash(String hex) {
    paymentHash = once(paymentHash, hex32(hex, "paymentHash"), "paymentHash");
    return this;
  }

  /**
   * Sets the payment secret.
   *
   * @param hex 32 bytes
   * @return this
   */
  public Bolt11Encoder paymentSecret(String hex) {
    paymentSecret = once(paymentSecret, hex32(hex, "paymentSecret"), "paymentSecret");
    return this;
  }

  /**
   * Sets the description (this or a description hash is required). @param text UTF-8 @return this
   */
  public Bolt11Encoder description(String text) {
    if (text.getBytes(StandardCharsets.UTF_8).length > 639) {
      throw new IllegalArgumentException("description over 639 bytes: use a description hash");
    }
    description = once(description, text, "description");
    return this;
  }

  /**
   * Sets the description hash.
   *
   * @param hex 32 bytes
   * @return this
   */
  public Bolt11Encoder descriptionHash(String hex) {
    descriptionHash = once(descriptionHash, hex32(hex, "descriptionHash"), "descriptionHash");
    return this;
  }

  /**
   * Sets the expiry.
   *
   * @param seconds non-negative
   * @return this
   */
  public Bolt11Encoder expirySeconds(long seconds) {
    expirySeconds = once(expirySeconds, nonNegative(seconds, "expirySeconds"), "expirySeconds");
    return this;
  }

  /**
   * Sets the final CLTV delta.
   *
   * @param blocks non-negative
   * @return this
   */
  public Bolt11Encoder minFinalCltvExpiry(long blocks) {
    minFinalCltvExpiry =
        once(minFinalCltvExpiry, nonNegative(blocks, "minFinalCltvExpiry"), "minFinalCltvExpiry");
    return this;
  }

  /**
   * Adds an on-chain fallback.
   *
   * @param value the fallback
   * @return this
   */
  public Bolt11Encoder fallback(Fallback value) {
    fallbacks.add(Objects.requireNonNull(value, "fallback"));
    return this;
  }

  /**
   * Adds a private route.
   *
   * @param hops one or more hops
   * @return this
   */
  public Bolt11Encoder route(List<RouteHop> hops) {
    if (hops.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one hop");
    }
    routes.add(List.copyOf(hops));
    return this;
  }

  /**
   * Sets the feature bits.
   *
   * @param value the features
   * @return this
   */
  public Bolt11Encoder features(Features value) {
    features = once(features, Objects.requireNonNull(value, "features"), "features");
    return this;
  }

  /**
   * Writes the payee's key as an {@code n} field instead of relying on recovery.
   *
   * @return this
   */
  public Bolt11Encoder includePayee() {
    includePayee = true;
    return this;
  }

  /**
   * Sets the payment metadata.
   *
   * @param hex non-empty bytes
   * @return this
   */
  public Bolt11Encoder metadata(String hex) {
    if (hex == null || !hex.matches("([0-9a-f]{2})+")) {
      throw new IllegalArgumentException("metadata must be non-empty lower-case hex");
    }
    metadata = once(metadata, hex, "metadata");
    return this;
  }

  /**
   * Signs the invoice with the payee's node key.
   *
   * @param privateKey the node's secp256k1 private key
   * @return the invoice text, lower case
   */
  public String sign(BigInteger privateKey) {
    Objects.requireNonNull(network, "network is required");
    Objects.requireNonNull(timestamp, "timestamp is required");
    Objects.requireNonNull(paymentHash, "paymentHash is required");
    if ((description == null) == (descriptionHash == null)) {
      throw new IllegalStateException("exactly one of description and descriptionHash is required");
    }
    byte[] payee = Secp256k1Signatures.publicKey(privateKey);
    String hrp = network.prefix() + (amountMsat == null ? "" : Amounts.format(amountMsat));
    FiveBitWriter out = new FiveBitWriter();
    out.number(timestamp.getEpochSecond(), 7);
    HexFormat hex = HexFormat.of();
    out.bytesField(TaggedField.PAYMENT_HASH, hex.parseHex(paymentHash));
    if (description != null) {
      out.bytesField(TaggedField.DESCRIPTION, description.getBytes(StandardCharsets.UTF_8));
    }
    if (descriptionHash != null) {
      out.bytesField(TaggedField.DESCRIPTION_HASH, hex.parseHex(descriptionHash));
    }
    if (paymentSecret != null) {
      out.bytesField(TaggedField.PAYMENT_SECRET, hex.parseHex(paymentSecret));
    }
    if (expirySeconds != null) {
      out.numberField(TaggedField.EXPIRY, expirySeconds);
    }
    if (minFinalCltvExpiry != null) {
      out.numberField(TaggedField.MIN_FINAL_CLTV_EXPIRY, minFinalCltvExpiry);
    }
    for (Fallback f : fallbacks) {
      int[] program = Bech32.fromBytes(hex.parseHex(f.programHex()));
      int[] value = new int[program.length + 1];
      value[0] = f.version();
      System.arraycopy(program, 0, value, 1, program.length);
      out.field(TaggedField.FALLBACK, value);
    }
    for (List<RouteHop> route : routes) {
      byte[] bytes = new byte[route.size() * RouteHop.WIRE_BYTES];
      for (int i = 0; i < route.size(); i++) {
        route.get(i).write(bytes, i * RouteHop.WIRE_BYTES);
      }
      out.bytesField(TaggedField.ROUTE, bytes);
    }
    if (features != null && !features.bits().isEmpty()) {
      out.field(TaggedField.FEATURES, features.write());
    }
    if (includePayee) {
      out.bytesField(TaggedField.PAYEE, payee);
    }
    if (metadata != null) {
      out.bytesField(TaggedField.METADATA, hex.parseHex(metadata));
    }
    int[] signed = out.toArray();
    byte[] signature = Secp256k1Signatures.sign(Bolt11Decoder.signingHash(hrp, signed), privateKey);
    int[] sig = Bech32.fromBytes(signature);
    int[] data = new int[signed.length + sig.length];
    System.arraycopy(signed, 0, data, 0, signed.length);
    System.arraycopy(sig, 0, data, signed.length, sig.length);
    return Bech32.encode(hrp, data);
  }

  private static <T> T once(T current, T value, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " is already set");
    }
    return value;
  }

  private static String hex32(String hex, String name) {
    if (hex == null || !hex.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException(name + " must be 32 bytes of lower-case hex");
    }
    return hex;
  }

  private static long nonNegative(long v, String name) {
    if (v < 0) {
      throw new IllegalArgumentException(name + " must not be negative");
    }
    return v;
  }

  /** Accumulates 5-bit groups. */
  private static final class FiveBitWriter {
    private final List<Integer> groups = new ArrayList<>();

    void number(long value, int width) {
      for (int i = width - 1; i >= 0; i--) {
        groups.add((int) ((value >>> (5 * i)) & 31));
      }
    }

    void numberField(int type, long value) {
      int width = 0;
      for (long v = value; v > 0; v >>>= 5) {
        width++;
      }
      int[] out = new int[width];
      for (int i = 0; i < width; i++) {
        out[width - 1 - i] = (int) ((value >>> (5 * i)) & 31);
      }
      field(type, out);
    }

    void bytesField(int type, byte[] bytes) {
      field(type, Bech32.fromBytes(bytes));
    }

    void field(int type, int[] value) {
      if (value.length >= 1024) {
        throw new IllegalArgumentException("tagged field too long for a 10-bit length");
      }
      groups.add(type);
      groups.add(value.length / 32);
      groups.add(value.length % 32);
      for (int v : value) {
        groups.add(v);
      }
    }

    int[] toArray() {
      return groups.stream().mapToInt(Integer::intValue).toArray();
    }
  }
}
