package dev.mpp.rail.tempo.session;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Assumptions;

/**
 * The channel store contract on PostgreSQL ({@code .ci/postgres.sh start}, then {@code source
 * target/pg.env}): skipped locally without {@code MPP_TEST_PG_URL}, failed under CI.
 */
class PostgresChannelStoreTest extends ChannelStoreContractTest {
  @Override
  ChannelStore newStore() {
    String url = System.getenv("MPP_TEST_PG_URL");
    if (url == null || url.isBlank()) {
      String message = "MPP_TEST_PG_URL is not set: start PostgreSQL with .ci/postgres.sh start";
      if (System.getenv("CI") != null) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    String schema =
        "s_" + Long.toHexString(ThreadLocalRandom.current().nextLong()).toLowerCase(Locale.ROOT);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    Properties properties = new Properties();
    properties.setProperty("currentSchema", schema);
    return JdbcChannelStore.postgres(url, properties);
  }
}
