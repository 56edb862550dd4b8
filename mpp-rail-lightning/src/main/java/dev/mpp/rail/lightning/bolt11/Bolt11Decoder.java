package dev.mpp.rail.lightning.bolt11;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Decodes and verifies BOLT #11 invoices. An invoice is returned only when its checksum, every
 * field it relies on and its signature are valid and it requires no unknown feature.
 *
 * <p>Testnet ({@code lntb}) invoices are refused unless {@link #acceptingTestnet()} is used: a
 * payer configured for signet must not be talked into paying a testnet invoice, and vice versa.
 */
public final class Bolt11Decoder {
  private static final int TIMESTAMP_GROUPS = 7;
  private static final int SIGNATURE_GROUPS = 104;

  /**
   * Prefix order matters: {@code lnbcrt} before {@code lnbc}, {@code lntbs} before {@code lntb}.
   */
  private static final List<Network> PREFIX_ORDER =
      List.of(Network.REGTEST, Network.MAINNET, Network.SIGNET, Network.TESTNET);

  private final Set<Network> accepted;

  private Bolt11Decoder(Set<Network> accepted) {
    this.accepted = accepted;
  }

  /**
   * A decoder for mainnet, signet and regtest invoices.
   *
   * @return the decoder
   */
  public static Bolt11Decoder standard() {
    return new Bolt11Decoder(EnumSet.of(Network.MAINNET, Network.SIGNET, Network.REGTEST));
  }

  /**
   * A decoder that also accepts testnet ({@code lntb}) invoices.
   *
   * @return the decoder
   */
  public static Bolt11Decoder acceptingTestnet() {
    return new Bolt11Decoder(EnumSet.allOf(Network.class));
  }

  /**
   * Decodes and verifies an invoice.
   *
   * @param invoice the invoice text, upper or lower case, optionally prefixed by {@code lightning:}
   * @return the verified invoice
   * @throws Bolt11Exception when it must not be paid
   */
  public Bolt11Invoice decode(String invoice) {
    if (invoice == null) {
      throw new Bolt11Exception("no invoice");
    }
    String text =
        invoice.regionMatches(true, 0, "lightning:", 0, 10) ? invoice.substring(10) : invoice;
    Bech32.Decoded bech = Bech32.decode(text);
    String hrp = bech.hrp();
    Network network =
        PREFIX_ORDER.stream()
            .filter(n -> hrp.startsWith(n.prefix()))
            .findFirst()
            .orElseThrow(() -> new Bolt11Exception("unknown invoice prefix"));
    if (!accepted.contains(network)) {
      throw new Bolt11Exception(network.prefix() + " invoices are not accepted by this decoder");
    }
    OptionalLong amountMsat = Amounts.parseMsat(hrp.substring(network.prefix().length()));
    int[] data = bech.data();
    if (data.length < TIMESTAMP_GROUPS + SIGNATURE_GROUPS) {
      throw new Bolt11Exception("invoice too short");
    }
    int signedEnd = data.length - SIGNATURE_GROUPS;
    Fields fields = new Fields();
    fields.timestamp = readNumber(data, 0, TIMESTAMP_GROUPS);
    int pos = TIMESTAMP_GROUPS;
    while (pos < signedEnd) {
      if (pos + 3 > signedEnd) {
        throw new Bolt11Exception("truncated tagged field");
      }
      int type = data[pos];
      int length = data[pos + 1] * 32 + data[pos + 2];
      pos += 3;
      if (pos + length > signedEnd) {
        throw new Bolt11Exception("tagged field overruns the signature");
      }
      fields.read(type, Arrays.copyOfRange(data, pos, pos + length));
      pos += length;
    }
    byte[] signature = Bech32.toBytes(Arrays.copyOfRange(data, signedEnd, data.length));
    byte[] hash = signingHash(hrp, Arrays.copyOf(data, signedEnd));
    String payee = verify(hash, signature, fields.payee);
    if (fields.paymentHash == null) {
      throw new Bolt11Exception("invoice has no payment hash");
    }
    if ((fields.description == null) == (fields.descriptionHash == null)) {
      throw new Bolt11Exception(
          "invoice must have exactly one of description and description hash");
    }
    fields.features.requireKnownEvenBits();
    return new Bolt11Invoice(
        text.toLowerCase(java.util.Locale.ROOT),
        network,
        amountMsat,
        Instant.ofEpochSecond(fields.timestamp),
        fields.paymentHash,
        Optional.ofNullable(fields.paymentSecret),
        Optional.ofNullable(fields.description),
        Optional.ofNullable(fields.descriptionHash),
        payee,
        fields.expiry,
        fields.minFinalCltv,
        fields.fallbacks,
        fields.routes,
        fields.features,
        Optional.ofNullable(fields.metadata));
  }

  static byte[] signingHash(String hrp, int[] signedData) {
    int[] eight = Bech32.regroup(signedData, 5, 8, true);
    byte[] prefix = hrp.getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(prefix, prefix.length + eight.length);
    for (int i = 0; i < eight.length; i++) {
      all[prefix.length + i] = (byte) eight[i];
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(all);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private static String verify(byte[] hash, byte[] signature, String declaredPayee) {
    byte[] compact = Arrays.copyOf(signature, 64);
    int recoveryId = signature[64];
    if (declaredPayee != null) {
      // BOLT #11: with a valid n field, validate against it instead of recovering.
      if (!Secp256k1Signatures.verify(hash, compact, HexFormat.of().parseHex(declaredPayee))) {
        throw new Bolt11Exception("invoice signature does not match its payee");
      }
      return declaredPayee;
    }
    return HexFormat.of().formatHex(Secp256k1Signatures.recover(hash, signature, recoveryId));
  }

  static long readNumber(int[] data, int from, int groups) {
    if (groups > 12) {
      throw new Bolt11Exception("numeric field too long");
    }
    long v = 0;
    for (int i = from; i < from + groups; i++) {
      v = (v << 5) | data[i];
    }
    return v;
  }

  /** Tagged fields as read so far; the first valid occurrence of a single-valued field wins. */
  private static final class Fields {
    long timestamp;
    String paymentHash;
    String paymentSecret;
    String description;
    String descriptionHash;
    String payee;
    long expiry = Bolt11Invoice.DEFAULT_EXPIRY_SECONDS;
    boolean expirySeen;
    long minFinalCltv = Bolt11Invoice.DEFAULT_MIN_FINAL_CLTV_EXPIRY;
    boolean cltvSeen;
    final List<Fallback> fallbacks = new ArrayList<>();
    final List<List<RouteHop>> routes = new ArrayList<>();
    Features features = Features.NONE;
    String metadata;

    void read(int type, int[] value) {
      HexFormat hex = HexFormat.of();
      switch (type) {
        case TaggedField.PAYMENT_HASH -> {
          if (value.length == 52 && paymentHash == null) {
            paymentHash = hex.formatHex(Bech32.toBytes(value));
          }
        }
        case TaggedField.PAYMENT_SECRET -> {
          if (value.length == 52 && paymentSecret == null) {
            paymentSecret = hex.formatHex(Bech32.toBytes(value));
          }
        }
        case TaggedField.DESCRIPTION_HASH -> {
          if (value.length == 52 && descriptionHash == null) {
            descriptionHash = hex.formatHex(Bech32.toBytes(value));
          }
        }
        case TaggedField.PAYEE -> {
          if (value.length == 53 && payee == null) {
            payee = hex.formatHex(Bech32.toBytes(value));
            if (!payee.matches("0[23][0-9a-f]{64}")) {
              throw new Bolt11Exception("payee field is not a compressed public key");
            }
          }
        }
        case TaggedField.DESCRIPTION -> {
          if (description == null) {
            description = utf8(Bech32.toBytes(value));
          }
        }
        case TaggedField.EXPIRY -> {
          if (!expirySeen) {
            expiry = readNumber(value, 0, value.length);
            expirySeen = true;
          }
        }
        case TaggedField.MIN_FINAL_CLTV_EXPIRY -> {
          if (!cltvSeen) {
            minFinalCltv = readNumber(value, 0, value.length);
            cltvSeen = true;
          }
        }
        case TaggedField.FALLBACK -> readFallback(value);
        case TaggedField.ROUTE -> readRoute(Bech32.toBytes(value));
        case TaggedField.FEATURES -> features = Features.read(value);
        case TaggedField.METADATA -> {
          if (metadata == null && value.length > 0) {
            metadata = hex.formatHex(Bech32.toBytes(value));
          }
        }
        default -> {
          // BOLT #11: readers skip unknown fields.
        }
      }
    }

    private void readFallback(int[] value) {
      if (value.length < 2 || value[0] > 18) {
        return; // unknown versions are skipped
      }
      byte[] program = Bech32.toBytes(Arrays.copyOfRange(value, 1, value.length));
      if (program.length == 0 || (value[0] >= 17 && program.length != 20)) {
        return;
      }
      fallbacks.add(new Fallback(value[0], HexFormat.of().formatHex(program)));
    }

    private void readRoute(byte[] bytes) {
      int hops = bytes.length / RouteHop.WIRE_BYTES;
      if (hops == 0) {
        throw new Bolt11Exception("route field holds no complete hop");
      }
      List<RouteHop> route = new ArrayList<>(hops);
      for (int i = 0; i < hops; i++) {
        try {
          route.add(RouteHop.read(bytes, i * RouteHop.WIRE_BYTES));
        } catch (IllegalArgumentException e) {
          throw new Bolt11Exception("route hop " + i + " is malformed: " + e.getMessage());
        }
      }
      routes.add(route);
    }

    private static String utf8(byte[] bytes) {
      try {
        return StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(bytes))
            .toString();
      } catch (CharacterCodingException e) {
        throw new Bolt11Exception("description is not valid UTF-8");
      }
    }
  }
}
