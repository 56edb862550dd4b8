package dev.mpp.wallet.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentState;
import java.io.StringWriter;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerExportTest {
  // {"status":"success","method":"test","reference":"tx-1","timestamp":"2026-04-01T10:00:01Z"}
  private static final String RECEIPT =
      "eyJzdGF0dXMiOiJzdWNjZXNzIiwibWV0aG9kIjoidGVzdCIsInJlZmVyZW5jZSI6"
          + "InR4LTEiLCJ0aW1lc3RhbXAiOiIyMDI2LTA0LTAxVDEwOjAwOjAxWiJ9";

  private static PaymentRecord record(String id, String realm, String rationale) {
    Instant at = Instant.parse("2026-02-03T04:05:06Z");
    return new PaymentRecord(
        id,
        "bot",
        "acme",
        at,
        at.plusSeconds(1),
        "https://api.example.com/x",
        "https://api.example.com:443",
        realm,
        "tempo",
        "charge",
        "ch-" + id,
        new BigInteger("1234567"),
        "0x20c0000000000000000000000000000000000000",
        4217L,
        6,
        1_234_567,
        1_000,
        PaymentState.PAID,
        "tx-1",
        RECEIPT,
        rationale,
        null);
  }

  @Test
  void jsonLinesHoldEveryFieldWithExactAmountsAndTheParsedReceipt() throws Exception {
    StringWriter out = new StringWriter();
    LedgerExport.jsonLines(out, List.of(record("a", "r", "chose #1"), record("b", "r", "x")));

    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(2);
    JsonNode json = new ObjectMapper().readTree(lines[0]);
    assertThat(json.get("id").asText()).isEqualTo("a");
    assertThat(json.get("fleet").asText()).isEqualTo("acme");
    assertThat(json.get("createdAt").asText()).isEqualTo("2026-02-03T04:05:06Z");
    assertThat(json.get("amount").asText()).isEqualTo("1234567");
    assertThat(json.get("units").asText()).isEqualTo("1.234567");
    assertThat(json.get("usd").asText()).isEqualTo("1.234567");
    assertThat(json.get("usdMicros").asLong()).isEqualTo(1_234_567);
    assertThat(json.get("feeUsdMicros").asLong()).isEqualTo(1_000);
    assertThat(json.get("chainId").asLong()).isEqualTo(4217);
    assertThat(json.get("state").asText()).isEqualTo("PAID");
    assertThat(json.get("receiptHeader").asText()).isEqualTo(RECEIPT);
    assertThat(json.get("receipt").get("reference").asText()).isEqualTo("tx-1");
    assertThat(json.get("rationale").asText()).isEqualTo("chose #1");
    assertThat(json.get("detail").isNull()).isTrue();
  }

  @Test
  void csvHasAHeaderQuotesWhereNeededAndDefusesFormulas() throws Exception {
    StringWriter out = new StringWriter();
    LedgerExport.csv(
        out, List.of(record("a", "=HYPERLINK(\"http://x\")", "chose #1, cheapest\nof 2")));

    String[] rows = out.toString().split("\r\n", -1);
    assertThat(rows).hasSize(3);
    assertThat(rows[2]).isEmpty();
    assertThat(rows[0]).isEqualTo(String.join(",", LedgerExport.CSV_COLUMNS));
    assertThat(rows[1])
        .startsWith(
            "a,bot,acme,2026-02-03T04:05:06Z,2026-02-03T04:05:07Z,https://api.example.com/x,"
                + "https://api.example.com:443,\"'=HYPERLINK(\"\"http://x\"\")\",tempo,charge,ch-a,"
                + "1234567,0x20c0000000000000000000000000000000000000,4217,6,1.234567,0.001000,PAID,"
                + "tx-1,"
                + RECEIPT
                + ",\"chose #1, cheapest\nof 2\",");
  }

  @Test
  void csvCellRules() {
    assertThat(LedgerExport.cell("plain")).isEqualTo("plain");
    assertThat(LedgerExport.cell("+1")).isEqualTo("'+1");
    assertThat(LedgerExport.cell("@x")).isEqualTo("'@x");
    assertThat(LedgerExport.cell("a\"b")).isEqualTo("\"a\"\"b\"");
    assertThat(LedgerExport.cell("")).isEmpty();
  }
}
