package dev.mpp.ledger.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The one schema definition spells, for each database, exactly the DDL that released versions ran:
 * files and databases created by them must keep opening (their {@code mpp_schema_version} says
 * version 1 is applied, so it never runs again there).
 */
class LedgerSchemaTest {

  @Test
  void sqliteSpellingIsTheReleasedVersionOne() {
    assertThat(LedgerSchema.migrations(SqliteDialect.INSTANCE)).isEqualTo(SQLITE_V1);
  }

  @Test
  void postgresSpellingIsTheReleasedVersionOne() {
    assertThat(LedgerSchema.migrations(PostgresDialect.INSTANCE)).isEqualTo(POSTGRES_V1);
  }

  @Test
  void theVersionIsTheLastMigration() {
    for (Dialect dialect : List.of(SqliteDialect.INSTANCE, PostgresDialect.INSTANCE)) {
      List<LedgerSchema.Migration> migrations = LedgerSchema.migrations(dialect);
      assertThat(migrations.get(migrations.size() - 1).version()).isEqualTo(LedgerSchema.VERSION);
    }
  }

  // ---------------------------------------------------------------- as released (verbatim)

  private static final List<LedgerSchema.Migration> SQLITE_V1 =
      List.of(
          new LedgerSchema.Migration(
              1,
              "payments, spend buckets",
              List.of(
                  "CREATE TABLE mpp_payment ("
                      + " seq INTEGER PRIMARY KEY,"
                      + " id TEXT NOT NULL UNIQUE,"
                      + " agent TEXT NOT NULL,"
                      + " fleet TEXT,"
                      + " created_ns INTEGER NOT NULL,"
                      + " updated_ns INTEGER NOT NULL,"
                      + " url TEXT,"
                      + " origin TEXT,"
                      + " realm TEXT,"
                      + " method TEXT NOT NULL,"
                      + " intent TEXT NOT NULL,"
                      + " challenge_id TEXT NOT NULL,"
                      + " amount TEXT NOT NULL,"
                      + " currency TEXT NOT NULL,"
                      + " chain_id INTEGER,"
                      + " decimals INTEGER NOT NULL,"
                      + " asset_key TEXT NOT NULL,"
                      + " usd_micros INTEGER NOT NULL,"
                      + " fee_usd_micros INTEGER NOT NULL,"
                      + " state TEXT NOT NULL"
                      + "  CHECK (state IN ('HELD', 'PAID', 'RELEASED', 'UNKNOWN')),"
                      + " reference TEXT,"
                      + " receipt_header TEXT,"
                      + " rationale TEXT,"
                      + " detail TEXT)",
                  "CREATE INDEX mpp_payment_agent_created ON mpp_payment (agent, created_ns)",
                  "CREATE INDEX mpp_payment_fleet_created ON mpp_payment (fleet, created_ns)",
                  "CREATE INDEX mpp_payment_created ON mpp_payment (created_ns)",
                  "CREATE INDEX mpp_payment_state_created ON mpp_payment (state, created_ns)",
                  "CREATE TABLE mpp_bucket ("
                      + " scope_kind TEXT NOT NULL,"
                      + " scope_name TEXT NOT NULL,"
                      + " span INTEGER NOT NULL,"
                      + " start_ns INTEGER NOT NULL,"
                      + " asset_key TEXT NOT NULL,"
                      + " usd_micros INTEGER NOT NULL,"
                      + " pay_count INTEGER NOT NULL,"
                      + " units TEXT NOT NULL,"
                      + " PRIMARY KEY (scope_kind, scope_name, span, start_ns, asset_key))"
                      + " WITHOUT ROWID")));

  private static final List<LedgerSchema.Migration> POSTGRES_V1 =
      List.of(
          new LedgerSchema.Migration(
              1,
              "payments, spend buckets, scope lock rows",
              List.of(
                  "CREATE TABLE mpp_payment ("
                      + " seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                      + " id TEXT NOT NULL UNIQUE,"
                      + " agent TEXT NOT NULL,"
                      + " fleet TEXT,"
                      + " created_ns BIGINT NOT NULL,"
                      + " updated_ns BIGINT NOT NULL,"
                      + " url TEXT,"
                      + " origin TEXT,"
                      + " realm TEXT,"
                      + " method TEXT NOT NULL,"
                      + " intent TEXT NOT NULL,"
                      + " challenge_id TEXT NOT NULL,"
                      + " amount NUMERIC(78, 0) NOT NULL,"
                      + " currency TEXT NOT NULL,"
                      + " chain_id BIGINT,"
                      + " decimals INTEGER NOT NULL,"
                      + " asset_key TEXT NOT NULL,"
                      + " usd_micros BIGINT NOT NULL,"
                      + " fee_usd_micros BIGINT NOT NULL,"
                      + " state TEXT NOT NULL"
                      + "  CHECK (state IN ('HELD', 'PAID', 'RELEASED', 'UNKNOWN')),"
                      + " reference TEXT,"
                      + " receipt_header TEXT,"
                      + " rationale TEXT,"
                      + " detail TEXT)",
                  "CREATE INDEX mpp_payment_agent_created ON mpp_payment (agent, created_ns)",
                  "CREATE INDEX mpp_payment_fleet_created ON mpp_payment (fleet, created_ns)",
                  "CREATE INDEX mpp_payment_created ON mpp_payment (created_ns)",
                  "CREATE INDEX mpp_payment_state_created ON mpp_payment (state, created_ns)",
                  "CREATE TABLE mpp_bucket ("
                      + " scope_kind TEXT NOT NULL,"
                      + " scope_name TEXT NOT NULL,"
                      + " span BIGINT NOT NULL,"
                      + " start_ns BIGINT NOT NULL,"
                      + " asset_key TEXT NOT NULL,"
                      + " usd_micros BIGINT NOT NULL,"
                      + " pay_count BIGINT NOT NULL,"
                      + " units NUMERIC NOT NULL,"
                      + " PRIMARY KEY (scope_kind, scope_name, span, start_ns, asset_key))",
                  "CREATE TABLE mpp_scope ("
                      + " kind TEXT NOT NULL,"
                      + " name TEXT NOT NULL,"
                      + " PRIMARY KEY (kind, name))")));
}
