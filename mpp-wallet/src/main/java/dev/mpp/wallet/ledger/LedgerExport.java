package dev.mpp.wallet.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.PaymentRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes ledger records for accounting and audits: JSON lines (one object per line, with the parsed
 * receipt next to the raw one) and CSV (RFC 4180, CRLF line ends, a header row).
 *
 * <p>CSV cells that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR)
 * are prefixed with {@code '}: realms, descriptions and details come from servers, which should not
 * be able to plant formulas in an accountant's spreadsheet.
 */
public final class LedgerExport {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  /** The CSV columns, in order. */
  public static final List<String> CSV_COLUMNS =
      List.of(
          "id",
          "agent",
          "fleet",
          "created_at",
          "updated_at",
          "url",
          "origin",
          "realm",
          "method",
          "intent",
          "challenge_id",
          "amount",
          "currency",
          "chain_id",
          "decimals",
          "usd",
          "fee_usd",
          "state",
          "reference",
          "receipt",
          "rationale",
          "detail");

  private LedgerExport() {}

  /** Writes one JSON object per record, each on its own line. */
  public static void jsonLines(Writer out, List<PaymentRecord> records) throws IOException {
    for (PaymentRecord record : records) {
      try {
        out.write(MAPPER.writeValueAsString(toJson(record)));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
      out.write('\n');
    }
    out.flush();
  }

  /**
   * One record as JSON. Amounts are exact: {@code amount} in base units as a string, {@code usd}
   * and {@code feeUsd} as decimal strings, {@code usdMicros} and {@code feeUsdMicros} as integers.
   */
  public static ObjectNode toJson(PaymentRecord r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", r.id());
    o.put("agent", r.agent());
    o.put("fleet", r.fleet());
    o.put("createdAt", r.createdAt().toString());
    o.put("updatedAt", r.updatedAt().toString());
    o.put("url", r.url());
    o.put("origin", r.origin());
    o.put("realm", r.realm());
    o.put("method", r.method());
    o.put("intent", r.intent());
    o.put("challengeId", r.challengeId());
    o.put("amount", r.amount().toString());
    o.put("currency", r.currency());
    if (r.chainId() == null) {
      o.putNull("chainId");
    } else {
      o.put("chainId", r.chainId());
    }
    o.put("decimals", r.decimals());
    o.put("units", r.units().toPlainString());
    o.put("usd", r.usd().toPlainString());
    o.put("usdMicros", r.usdMicros());
    o.put("feeUsdMicros", r.feeUsdMicros());
    o.put("state", r.state().name());
    o.put("reference", r.reference());
    o.put("receiptHeader", r.receiptHeader());
    r.receipt()
        .ifPresentOrElse(receipt -> o.set("receipt", receipt.json()), () -> o.putNull("receipt"));
    o.put("rationale", r.rationale());
    o.put("detail", r.detail());
    return o;
  }

  /** Writes a header row and one row per record. */
  public static void csv(Writer out, List<PaymentRecord> records) throws IOException {
    row(out, CSV_COLUMNS);
    for (PaymentRecord r : records) {
      row(
          out,
          List.of(
              r.id(),
              text(r.agent()),
              text(r.fleet()),
              r.createdAt().toString(),
              r.updatedAt().toString(),
              text(r.url()),
              text(r.origin()),
              text(r.realm()),
              r.method(),
              r.intent(),
              r.challengeId(),
              r.amount().toString(),
              r.currency(),
              r.chainId() == null ? "" : r.chainId().toString(),
              Integer.toString(r.decimals()),
              r.usd().toPlainString(),
              java.math.BigDecimal.valueOf(r.feeUsdMicros(), 6).toPlainString(),
              r.state().name(),
              text(r.reference()),
              text(r.receiptHeader()),
              text(r.rationale()),
              text(r.detail())));
    }
    out.flush();
  }

  private static String text(String value) {
    return value == null ? "" : value;
  }

  private static void row(Writer out, List<String> cells) throws IOException {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(cell(cells.get(i)));
    }
    out.write("\r\n");
  }

  static String cell(String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    boolean quote =
        v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
    return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }
}
