package dev.mpp.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 8785 JSON Canonicalization Scheme, checked against the RFC's own examples. */
class JcsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static String canonical(String json) throws IOException {
    return Jcs.canonicalize(Json.MAPPER.readTree(json));
  }

  /** RFC 8785 Appendix B: IEEE-754 bit patterns and their canonical text. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0000000000000000, 0",
    "8000000000000000, 0",
    "0000000000000001, 5e-324",
    "8000000000000001, -5e-324",
    "7fefffffffffffff, 1.7976931348623157e+308",
    "ffefffffffffffff, -1.7976931348623157e+308",
    "4340000000000000, 9007199254740992",
    "c340000000000000, -9007199254740992",
    "4430000000000000, 295147905179352830000",
    "44b52d02c7e14af5, 9.999999999999997e+22",
    "44b52d02c7e14af6, 1e+23",
    "44b52d02c7e14af7, 1.0000000000000001e+23",
    "444b1ae4d6e2ef4e, 999999999999999700000",
    "444b1ae4d6e2ef4f, 999999999999999900000",
    "444b1ae4d6e2ef50, 1e+21",
    "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
    "3eb0c6f7a0b5ed8d, 0.000001",
    "41b3de4355555553, 333333333.3333332",
    "41b3de4355555554, 333333333.33333325",
    "41b3de4355555555, 333333333.3333333",
    "41b3de4355555556, 333333333.3333334",
    "41b3de4355555557, 333333333.33333343",
    "becbf647612f3696, -0.0000033333333333333333",
    "43143ff3c1cb0959, 1424953923781206.2"
  })
  void rfc8785NumberTable(String bits, String expected) {
    double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

    assertThat(Jcs.formatNumber(value)).isEqualTo(expected);
    assertThat(Jcs.canonicalize(DoubleNode.valueOf(value))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"7fffffffffffffff", "7ff0000000000000", "fff0000000000000"})
  void rfc8785TableNonFiniteValuesAreRefused(String bits) {
    double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

    assertThatThrownBy(() -> Jcs.formatNumber(value)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Thousands of doubles (random bit patterns, powers of two and ten and their neighbours) against
   * what Node's ECMAScript engine prints for them; see {@code es6-numbers.gen.js}.
   */
  @Test
  void agreesWithEcmaScriptOnGeneratedDoubles() throws IOException {
    List<String> mismatches = new ArrayList<>();
    int checked = 0;
    try (InputStream in =
            Objects.requireNonNull(getClass().getResourceAsStream("/es6-numbers.csv"));
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(",");
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));
        String actual = Jcs.formatNumber(value);
        if (!actual.equals(parts[1])) {
          mismatches.add(parts[0] + ": expected " + parts[1] + " got " + actual);
        }
        checked++;
      }
    }

    assertThat(checked).isGreaterThan(3000);
    assertThat(mismatches).isEmpty();
  }

  @Test
  void shortestOutputReadsBackAsTheSameDouble() {
    Random random = new Random(8785);
    for (int i = 0; i < 3_000; i++) {
      double value = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(value)) {
        continue;
      }
      String text = Jcs.formatNumber(value);
      assertThat(Double.parseDouble(text)).as(text).isEqualTo(value == 0 ? 0.0 : value);
      String significant =
          text.replaceFirst("^-", "")
              .replaceFirst("e[-+]\\d+$", "")
              .replace(".", "")
              .replaceFirst("^0+", "")
              .replaceFirst("0+$", "");
      assertThat(significant).as("significant digits of %s", text).hasSizeBetween(1, 17);
    }
  }

  /** RFC 8785 §3.2.2 / §3.2.3: the sample object. */
  @Test
  void rfc8785SampleObject() throws IOException {
    String input =
        """
        {
          "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
          "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
          "literals": [null, true, false]
        }
        """;

    assertThat(canonical(input))
        .isEqualTo(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,"
                + "1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
  }

  /** RFC 8785 §3.2.3: members are sorted by their UTF-16 code units, not by code point. */
  @Test
  void rfc8785SortingExample() throws IOException {
    String input =
        """
        {
          "\\u20ac": "Euro Sign",
          "\\r": "Carriage Return",
          "\\ufb33": "Hebrew Letter Dalet With Dagesh",
          "1": "One",
          "\\ud83d\\ude00": "Emoji: Grinning Face",
          "\\u0080": "Control",
          "\\u00f6": "Latin Small Letter O With Diaeresis"
        }
        """;

    JsonNode sorted = MAPPER.readTree(canonical(input));
    List<String> values = new ArrayList<>();
    sorted.elements().forEachRemaining(v -> values.add(v.textValue()));

    assertThat(values)
        .containsExactly(
            "Carriage Return",
            "One",
            "Control",
            "Latin Small Letter O With Diaeresis",
            "Euro Sign",
            "Emoji: Grinning Face",
            "Hebrew Letter Dalet With Dagesh");
  }

  /** RFC 8785 §3.2.4: the UTF-8 bytes of the canonical sample. */
  @Test
  void rfc8785SampleBytes() throws IOException {
    String input =
        "{\"numbers\":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"
            + "\"string\":\"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
            + "\"literals\":[null,true,false]}";
    String hex =
        "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72 75 65 2c 66 61 6c 73 65 5d 2c"
            + " 22 6e 75 6d 62 65 72 73 22 3a 5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33"
            + " 2c 31 65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37 5d 2c 22 73 74 72"
            + " 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30 30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c"
            + " 22 2f 22 7d";

    byte[] bytes = canonical(input).getBytes(StandardCharsets.UTF_8);
    StringBuilder actual = new StringBuilder();
    for (byte b : bytes) {
      actual.append(actual.isEmpty() ? "" : " ").append(String.format("%02x", b & 0xff));
    }

    assertThat(actual.toString()).isEqualTo(hex);
  }

  @Test
  void escapesControlsAndLoneSurrogatesLikeJsonStringify() {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("s", "\u0000\u001f\u007f\b\f\n\r\t\"\\/\ud800x\udc00\ud83d\ude00");

    assertThat(Jcs.canonicalize(node))
        .isEqualTo(
            "{\"s\":\"\\u0000\\u001f\u007f\\b\\f\\n\\r\\t\\\"\\\\/\\ud800x\\udc00\ud83d\ude00\"}");
  }

  @Test
  void sortsNestedObjectsAndKeepsArrayOrder() throws IOException {
    assertThat(canonical("{\"b\":{\"z\":1,\"a\":[3,1,{\"y\":true,\"x\":null}]},\"a\":-0.0}"))
        .isEqualTo("{\"a\":0,\"b\":{\"a\":[3,1,{\"x\":null,\"y\":true}],\"z\":1}}");
  }

  @Test
  void formatsIntegersOfEveryNodeTypeTheSameWay() throws IOException {
    assertThat(canonical("[1, 1.0, 1e0, 100, 1E2, 12345678901234567890]"))
        .isEqualTo("[1,1,1,100,100,12345678901234567000]");
  }
}
