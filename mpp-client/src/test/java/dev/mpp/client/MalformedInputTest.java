package dev.mpp.client;

import static dev.mpp.client.Fixtures.NOW;
import static dev.mpp.client.Fixtures.URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mpp.client.wire.AcceptPayment;
import dev.mpp.client.wire.BodyDigest;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.Receipt;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Generated hostile input. Every case must end in a valid challenge or a typed {@link
 * MppException}, never another exception, and a malformed or expired challenge must never reach the
 * payer. Four seeds of {@value #CASES_PER_SEED} cases: more than 10,000 cases per run. Seeded: a
 * failure names the seed and case number that reproduce it.
 */
class MalformedInputTest {
  static final int CASES_PER_SEED = 2_500;
  static final Duration SKEW = Duration.ofSeconds(5);

  enum Mutation {
    NONE,
    TRUNCATE,
    UNBALANCED_QUOTE,
    BAD_BASE64,
    NON_OBJECT_JSON,
    BAD_JSON_BYTES,
    HUGE_VALUE,
    CONTROL_CHARACTER,
    DUPLICATE_PARAM,
    BAD_AMOUNT,
    BAD_FIELD_VALUE,
    MISSING_PARAM,
    GARBAGE,
    SPLICE
  }

  /** One generated 402: its header fields and what was done to them. */
  record Case(List<String> fields, List<Mutation> mutations) {}

  static final class Generator {
    private final Random random;

    Generator(long seed) {
      this.random = new Random(seed);
    }

    Case next() {
      List<String> fields = new ArrayList<>();
      for (int n = 1 + random.nextInt(3); n > 0; n--) {
        fields.add(random.nextInt(5) == 0 ? "Bearer realm=\"x\", " + validHeader() : validHeader());
      }
      List<Mutation> applied = new ArrayList<>();
      int mutations = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        Mutation mutation = Mutation.values()[1 + random.nextInt(Mutation.values().length - 1)];
        int at = random.nextInt(fields.size());
        fields.set(at, mutate(fields.get(at), mutation));
        applied.add(mutation);
      }
      if (applied.isEmpty()) {
        applied.add(Mutation.NONE);
      }
      return new Case(fields, applied);
    }

    String validHeader() {
      StringBuilder json = new StringBuilder("{\"amount\":\"").append(random.nextInt(1_000_000));
      json.append("\",\"currency\":\"usd\",\"recipient\":\"acct_").append(random.nextInt(99));
      json.append("\"}");
      Challenge.Builder b =
          Challenge.builder()
              .id("id-" + Long.toHexString(random.nextLong()))
              .realm("127.0.0.1")
              .method(random.nextBoolean() ? "tempo" : "stripe")
              .intent("charge")
              .request(b64(json.toString()));
      if (random.nextInt(4) > 0) {
        // Mostly in the future; sometimes just around the expiry margin or in the past.
        long offset =
            random.nextInt(4) == 0 ? random.nextInt(20_000) - 10_000 : random.nextInt(600_000);
        b.expires(NOW.plusMillis(offset));
      }
      if (random.nextInt(4) == 0) {
        b.description("desc " + random.nextInt());
      }
      if (random.nextInt(6) == 0) {
        b.digest(BodyDigest.sha256(new byte[0]).toString());
      }
      return b.build().toHeaderValue();
    }

    String mutate(String field, Mutation mutation) {
      return switch (mutation) {
        case NONE -> field;
        case TRUNCATE -> field.substring(0, random.nextInt(field.length() + 1));
        case UNBALANCED_QUOTE -> {
          int quote = field.indexOf('"', random.nextInt(field.length()));
          yield quote < 0
              ? insert(field, "\"")
              : field.substring(0, quote) + field.substring(quote + 1);
        }
        case BAD_BASE64 ->
            replaceParam(
                field,
                "request",
                pick(
                    "e30=",
                    "e3",
                    "!!!!",
                    "e30 ",
                    "+/+/",
                    "%7B%7D",
                    "",
                    "e3=0",
                    "ey J9",
                    "\u00e9t\u00e9"));
        case NON_OBJECT_JSON ->
            replaceParam(
                field,
                "request",
                b64(pick("[]", "\"s\"", "1", "null", "true", "[{}]", "{\"a\":[", "")));
        case BAD_JSON_BYTES -> replaceParam(field, "request", badJsonBytes());
        case HUGE_VALUE -> hugeValue(field);
        case CONTROL_CHARACTER ->
            insert(
                field,
                pick("\u0000", "\u0001", "\t", "\n", "\r", "\u001b", "\u001f", "\u007f", "\r\n "));
        case DUPLICATE_PARAM ->
            field + ", " + pick("id", "ID", "realm", "Method", "request", "expires") + "=\"dup\"";
        case BAD_AMOUNT ->
            replaceParam(
                field,
                "request",
                b64(
                    "{\"amount\":"
                        + pick(
                            "\"1.5\"",
                            "\"-1\"",
                            "\"1e3\"",
                            "\" 1\"",
                            "\"0x10\"",
                            "\"\"",
                            "\"\u0661\"",
                            "1000",
                            "1.5",
                            "null",
                            "\"" + "9".repeat(79) + "\"",
                            "\"1,000\"")
                        + "}"));
        case BAD_FIELD_VALUE -> badFieldValue(field);
        case MISSING_PARAM ->
            field.replaceFirst(
                pick("id", "realm", "method", "intent", "request") + "=\"[^\"]*\"", "x=\"y\"");
        case GARBAGE -> garbage();
        case SPLICE -> {
          String other = validHeader();
          int cut = random.nextInt(field.length() + 1);
          yield field.substring(0, cut) + other.substring(random.nextInt(other.length() + 1));
        }
      };
    }

    private String badJsonBytes() {
      byte[] bytes =
          switch (random.nextInt(4)) {
            case 0 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'};
            case 1 -> "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
            case 2 -> "{}".getBytes(StandardCharsets.UTF_16);
            default ->
                ("{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}")
                    .getBytes(StandardCharsets.UTF_8);
          };
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String hugeValue(String field) {
      return switch (random.nextInt(4)) {
        case 0 -> field + ", description=\"" + "d".repeat(64 * 1024) + "\"";
        case 1 ->
            replaceParam(field, "request", b64("{\"pad\":\"" + "p".repeat(17 * 1024) + "\"}"));
        case 2 -> replaceParam(field, "id", "i".repeat(1 + random.nextInt(40_000)));
        default -> field + ", x=" + "t".repeat(70_000);
      };
    }

    private String badFieldValue(String field) {
      return switch (random.nextInt(5)) {
        case 0 -> replaceParam(field, "method", pick("Tempo", "1x", "", "te mpo", "t\u00e9mpo"));
        case 1 -> replaceParam(field, "intent", pick("", "ch arge", "charge!", "ch\"arge"));
        case 2 -> replaceParam(field, "id", "");
        case 3 ->
            field
                + ", expires=\""
                + pick("2025-13-01T00:00:00Z", "yesterday", "2025-01-01", "2025-01-01T00:00:00", "")
                + "\"";
        default ->
            field
                + ", digest=\""
                + pick("sha-256=:AAAA:", "md5=:AAAA:", "sha-256", "", "sha-256=:!!:")
                + "\"";
      };
    }

    private String garbage() {
      StringBuilder out = new StringBuilder(random.nextBoolean() ? "Payment " : "");
      for (int i = random.nextInt(200); i > 0; i--) {
        out.append(
            (char) (random.nextInt(3) == 0 ? random.nextInt(0x3000) : 0x20 + random.nextInt(0x5f)));
      }
      return out.toString();
    }

    private String replaceParam(String field, String name, String value) {
      String replaced =
          field.replaceFirst(
              "(?<=[ ,])" + name + "=\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"",
              java.util.regex.Matcher.quoteReplacement(name + "=\"" + value + "\""));
      return replaced.equals(field) ? field + ", " + name + "=\"" + value + "\"" : replaced;
    }

    private String insert(String field, String text) {
      int at = random.nextInt(field.length() + 1);
      return field.substring(0, at) + text + field.substring(at);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
      return options[random.nextInt(options.length)];
    }
  }

  static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Runs {@code action}; anything thrown but an {@link MppException} fails the case. */
  static void typedOrNothing(String what, Runnable action, List<String> failures) {
    try {
      action.run();
    } catch (MppException expected) {
      assertThat(expected.code()).isNotNull();
    } catch (Throwable other) {
      failures.add(what + ": " + other);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14})
  void everyCaseIsAValidChallengeOrATypedErrorAndNeverAPayment(long seed) {
    Generator generator = new Generator(seed);
    FakePayer payer = new FakePayer();
    PaymentFlow flow = PaymentFlow.builder(payer).clock(Fixtures.clock()).clockSkew(SKEW).build();
    List<String> failures = new ArrayList<>();
    Map<Mutation, Integer> seen = new EnumMap<>(Mutation.class);
    int validCases = 0;
    int paidCases = 0;

    for (int i = 0; i < CASES_PER_SEED; i++) {
      Case c = generator.next();
      String where = "seed " + seed + " case " + i + " " + c.mutations();
      c.mutations().forEach(m -> seen.merge(m, 1, Integer::sum));

      // 1. Parsing never throws, and what it accepts is really valid.
      Challenges all;
      try {
        all = Challenge.parseAll(c.fields());
      } catch (Throwable t) {
        failures.add(where + " parseAll threw " + t);
        continue;
      }
      for (Challenge valid : all.valid()) {
        if (!Challenge.parse(valid.toHeaderValue()).equals(valid)) {
          failures.add(where + " valid challenge does not round-trip: " + valid);
        }
        valid
            .request()
            .amount()
            .ifPresent(
                a -> {
                  if (a.signum() < 0) {
                    failures.add(where + " negative amount accepted");
                  }
                });
      }
      for (Challenges.Invalid invalid : all.invalid()) {
        if (invalid.error() == null || invalid.excerpt().chars().anyMatch(ch -> ch < 0x20)) {
          failures.add(where + " invalid challenge without a clean typed reason");
        }
      }
      validCases += all.valid().isEmpty() ? 0 : 1;

      // 2. Every other parser facing the same bytes answers with a typed error or a value.
      for (String field : c.fields()) {
        String tail = field.length() > 8 ? field.substring(8) : field;
        typedOrNothing(where + " parse", () -> Challenge.parse(field), failures);
        typedOrNothing(where + " request", () -> PaymentRequest.decode(tail), failures);
        typedOrNothing(where + " credential", () -> Credential.parse("Payment " + tail), failures);
        typedOrNothing(where + " receipt", () -> Receipt.parse(tail), failures);
        typedOrNothing(where + " accept", () -> AcceptPayment.parse(field), failures);
        typedOrNothing(where + " digest", () -> BodyDigest.parse(tail), failures);
        typedOrNothing(
            where + " problem",
            () -> Problem.parse(field.getBytes(StandardCharsets.UTF_8)),
            failures);
      }

      // 3. Through the flow: the payer sees exactly the valid, unexpired offers, or nothing.
      // Independent of Challenge.isExpired: unexpired means expiring after now + skew.
      List<Challenge> payable =
          all.valid().stream()
              .filter(ch -> ch.expires().map(e -> e.isAfter(NOW.plus(SKEW))).orElse(true))
              .toList();
      FakeResponse response = FakeResponse.status(402);
      c.fields().forEach(f -> response.header("WWW-Authenticate", f));
      FakeExchange exchange = new FakeExchange(URL).then(response).then(Fixtures.paid("r"));
      int before = payer.authorizeCalls();
      try {
        flow.execute(PaymentContext.of(URI.create(URL), "GET", "fuzz"), exchange);
      } catch (MppException expected) {
        // a typed refusal
      } catch (Throwable other) {
        failures.add(where + " flow threw " + other);
      }
      int asked = payer.authorizeCalls() - before;
      if (payable.isEmpty()) {
        if (asked != 0) {
          failures.add(where + " payer asked to pay a malformed or expired challenge");
        }
      } else if (asked != 1
          || !payer.offersSeen().get(payer.authorizeCalls() - 1).equals(payable)) {
        failures.add(where + " payer was not offered exactly the valid, unexpired challenges");
      } else {
        paidCases++;
      }
      if (failures.size() > 20) {
        break;
      }
    }

    assertThat(failures).isEmpty();
    assertThat(seen.keySet()).containsAll(List.of(Mutation.values()));
    // The generator must exercise both sides, or the test proves nothing.
    assertThat(validCases).isBetween(CASES_PER_SEED / 10, CASES_PER_SEED * 9 / 10);
    assertThat(paidCases).isGreaterThan(CASES_PER_SEED / 10);
    assertThat(CASES_PER_SEED - paidCases).isGreaterThan(CASES_PER_SEED / 3);
  }
}
