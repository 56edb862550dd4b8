package dev.mpp.cli;

import dev.mpp.client.PaymentRecord;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import dev.mpp.wallet.ledger.LedgerExport;
import dev.mpp.wallet.ledger.LedgerQuery;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mpp ledger}: every payment the wallet recorded. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description =
        "Print one record per payment: state, amounts, USD, method, reference, URL, time.")
final class LedgerCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format {
    jsonl,
    csv
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--wallet",
      paramLabel = "PATH",
      description = "SQLite ledger file (default: ~/.mpp/wallet.db).")
  Path wallet;

  @Option(names = "--agent", paramLabel = "NAME", description = "Only this agent's payments.")
  String agent;

  @Option(names = "--since", paramLabel = "ISO8601", description = "Only payments since then.")
  String since;

  @Option(names = "--format", paramLabel = "jsonl|csv", description = "Default: jsonl.")
  Format format = Format.jsonl;

  @Override
  public Integer call() throws Exception {
    Path file =
        wallet != null ? wallet : Path.of(System.getProperty("user.home"), ".mpp", "wallet.db");
    if (!Files.exists(file)) {
      throw WalletOptions.usage("no wallet ledger at " + file);
    }
    Instant from = since == null ? null : parseInstant(since);
    try (SqliteLedgerStore store = SqliteLedgerStore.open(file)) {
      List<PaymentRecord> records = store.query(new LedgerQuery(agent, null, from, null, null, 0));
      PrintWriter out = spec.commandLine().getOut();
      if (format == Format.csv) {
        LedgerExport.csv(out, records);
      } else {
        LedgerExport.jsonLines(out, records);
      }
      out.flush();
    }
    return ExitCodes.OK;
  }

  static Instant parseInstant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException e2) {
        throw WalletOptions.usage("--since must be ISO 8601, e.g. 2026-11-25T00:00:00Z");
      }
    }
  }
}
