package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: every valid challenge, written with {@link Challenge#toHeaderValue()} and parsed back,
 * is equal to itself, alone or comma-joined with others and foreign schemes. Seeded, so a failure
 * names the seed and case that reproduce it.
 */
class ChallengeRoundTripTest {
  static final int CASES_PER_SEED = 1_500;

  static final String TCHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";

  /** Random valid challenges: every optional field, odd characters, padded and unpadded. */
  static final class Generator {
    private final Random random;

    Generator(long seed) {
      this.random = new Random(seed);
    }

    Challenge next() {
      Challenge.Builder b =
          Challenge.builder()
              .id(nonEmpty(this::anyChar, 1 + random.nextInt(60)))
              .realm(text(random.nextInt(30)))
              .method(method())
              .intent(intent())
              .request(request());
      if (random.nextBoolean()) {
        b.expires(expires());
      }
      if (random.nextBoolean()) {
        b.description(text(random.nextInt(80)));
      }
      if (random.nextInt(3) == 0) {
        byte[] body = new byte[random.nextInt(40)];
        random.nextBytes(body);
        String digest =
            random.nextBoolean()
                ? BodyDigest.sha256(body).toString()
                : BodyDigest.sha512(body).toString();
        b.digest(random.nextBoolean() ? digest : digest.replace("=:", "=").replaceAll(":$", ""));
      }
      if (random.nextInt(3) == 0) {
        b.opaque(base64(("{\"k\":\"" + random.nextInt() + "\"}").getBytes(StandardCharsets.UTF_8)));
      }
      return b.build();
    }

    private String method() {
      String first = "abcdefghijklmnopqrstuvwxyz";
      String rest = first + "0123456789:_-";
      StringBuilder out = new StringBuilder().append(first.charAt(random.nextInt(first.length())));
      for (int i = random.nextInt(12); i > 0; i--) {
        out.append(rest.charAt(random.nextInt(rest.length())));
      }
      return out.toString();
    }

    private String intent() {
      String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";
      StringBuilder out = new StringBuilder();
      for (int i = 1 + random.nextInt(10); i > 0; i--) {
        out.append(chars.charAt(random.nextInt(chars.length())));
      }
      return out.toString();
    }

    private String request() {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      json.put("amount", Long.toUnsignedString(random.nextLong()));
      json.put("currency", text(random.nextInt(20)));
      if (random.nextBoolean()) {
        json.putObject("methodDetails").put("chainId", random.nextInt(100_000));
      }
      if (random.nextBoolean()) {
        return PaymentRequest.of(json).raw();
      }
      // Servers written without JCS, or with padding: still valid, and echoed as sent.
      byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
      return random.nextBoolean() ? Base64.getUrlEncoder().encodeToString(bytes) : base64(bytes);
    }

    private String expires() {
      Instant instant =
          Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(3) * 1000);
      ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(49) - 24) * 1800);
      return switch (random.nextInt(3)) {
        case 0 -> DateTimeFormatter.ISO_INSTANT.format(instant);
        case 1 ->
            OffsetDateTime.ofInstant(instant, offset)
                .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX"));
        default ->
            OffsetDateTime.ofInstant(instant, offset)
                .format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"));
      };
    }

    /** Any text a header can carry: ASCII, quotes, backslashes, tabs, Latin-1, BMP, emoji. */
    private String text(int length) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < length; i++) {
        out.append(anyChar());
      }
      return out.toString();
    }

    private String nonEmpty(java.util.function.Supplier<String> c, int length) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < length; i++) {
        out.append(c.get());
      }
      return out.toString();
    }

    private String anyChar() {
      return switch (random.nextInt(10)) {
        case 0 -> "\"";
        case 1 -> "\\";
        case 2 -> "\t";
        case 3 -> String.valueOf((char) (0xa0 + random.nextInt(0x60)));
        case 4 -> String.valueOf((char) (0x100 + random.nextInt(0xd700)));
        case 5 -> new String(Character.toChars(0x1f600 + random.nextInt(80)));
        case 6 -> ",=; ";
        default -> String.valueOf(TCHARS.charAt(random.nextInt(TCHARS.length())));
      };
    }

    private String base64(byte[] bytes) {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 20250601})
  void writtenAndParsedBackIsEqual(long seed) {
    Generator generator = new Generator(seed);
    for (int i = 0; i < CASES_PER_SEED; i++) {
      Challenge original = generator.next();
      String header = original.toHeaderValue();

      Challenge back = Challenge.parse(header);

      String where = "seed " + seed + " case " + i + ": " + header;
      assertThat(header.chars()).as(where).allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f));
      assertThat(back).as(where).isEqualTo(original);
      assertThat(back.id()).as(where).isEqualTo(original.id());
      assertThat(back.realm()).as(where).isEqualTo(original.realm());
      assertThat(back.description()).as(where).isEqualTo(original.description());
      assertThat(back.request().raw()).as(where).isEqualTo(original.request().raw());
      assertThat(back.expires()).as(where).isEqualTo(original.expires());
      assertThat(back.digestRaw()).as(where).isEqualTo(original.digestRaw());
      assertThat(back.opaque()).as(where).isEqualTo(original.opaque());
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8})
  void severalInOneFieldAmongOtherSchemesComeBackInOrder(long seed) {
    Generator generator = new Generator(seed);
    Random random = new Random(seed);
    for (int i = 0; i < 300; i++) {
      List<Challenge> originals = new ArrayList<>();
      List<String> parts = new ArrayList<>();
      for (int n = 1 + random.nextInt(4); n > 0; n--) {
        if (random.nextBoolean()) {
          parts.add("Bearer realm=\"x, Payment id=\\\"fake\\\"\", error=invalid_token");
        }
        Challenge challenge = generator.next();
        originals.add(challenge);
        parts.add(challenge.toHeaderValue());
      }

      Challenges all = Challenge.parseAll(List.of(String.join(" ,  ", parts)));

      assertThat(all.invalid()).as("seed %d case %d", seed, i).isEmpty();
      assertThat(all.valid()).as("seed %d case %d", seed, i).isEqualTo(originals);
    }
  }
}
