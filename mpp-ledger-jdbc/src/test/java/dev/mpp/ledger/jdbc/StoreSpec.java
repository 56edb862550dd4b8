package dev.mpp.ledger.jdbc;

import dev.mpp.wallet.ledger.LedgerStore;
import java.nio.file.Path;

/**
 * Names a store on a child JVM's command line: {@code sqlite:<file>} or {@code postgres:<schema>}.
 */
public final class StoreSpec {
  private StoreSpec() {}

  public static String sqlite(Path file) {
    return "sqlite:" + file.toAbsolutePath();
  }

  public static String postgres(String schema) {
    return "postgres:" + schema;
  }

  /** Opens the named store; PostgreSQL takes its URL from {@code MPP_TEST_PG_URL}. */
  public static LedgerStore open(String spec) {
    if (spec.startsWith("sqlite:")) {
      return SqliteLedgerStore.open(Path.of(spec.substring("sqlite:".length())));
    }
    if (spec.startsWith("postgres:")) {
      return PgTestDatabase.builder(spec.substring("postgres:".length())).open();
    }
    throw new IllegalArgumentException("unknown store spec " + spec);
  }
}
