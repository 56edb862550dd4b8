package dev.mpp.ledger.jdbc;

import dev.mpp.client.SetOnce;
import dev.mpp.wallet.ledger.Limit;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The shared ledger: PostgreSQL, for a fleet of agents in many JVMs and hosts that spend from one
 * budget.
 *
 * <p>Every budget scope (agent, fleet) has a row in {@code mpp_scope}. A reservation locks the rows
 * of its agent and fleet ({@code SELECT … FOR UPDATE}, always in the database's sort order, so
 * concurrent writers cannot deadlock), then sums the windows and inserts under those locks: two
 * processes can never both see the same headroom. Within one JVM, reservations and releases queue
 * up behind one connection and commit together (group commit), which divides the cost of the
 * durable commit — paid while the fleet row is locked — by the batch size. Commits need no lock and
 * run concurrently on pooled connections.
 *
 * <p>Connections come from a small pool of the store's own ({@link #builder(String)}) or from a
 * {@link DataSource} the application already has ({@link #builder(DataSource)}).
 *
 * <pre>{@code
 * try (LedgerStore ledger =
 *     PostgresLedgerStore.builder("jdbc:postgresql://db:5432/payments")
 *         .user("agent").password(secret).open()) { ... }
 * }</pre>
 */
public final class PostgresLedgerStore extends JdbcLedgerStore {

  /** Key of the transaction-scoped advisory lock that serializes schema migrations. */
  private static final long MIGRATION_LOCK = 0x6d70705f6c656467L; // "mpp_ledg"

  private static final String LOCK_SCOPES =
      "SELECT s.kind, s.name FROM mpp_scope s"
          + " JOIN unnest(?::text[], ?::text[]) AS k(kind, name)"
          + " ON s.kind = k.kind AND s.name = k.name"
          + " ORDER BY s.kind, s.name FOR UPDATE OF s";

  private static final String INSERT_SCOPE =
      "INSERT INTO mpp_scope (kind, name) VALUES (?, ?) ON CONFLICT DO NOTHING";

  private final ConnectionSource connections;
  private final String description;
  private final Set<Limit.Scope> knownScopes = ConcurrentHashMap.newKeySet();

  private PostgresLedgerStore(ConnectionSource connections, String description) {
    super(connections, "mpp-ledger-writer-postgres", PostgresDialect.INSTANCE);
    this.connections = connections;
    this.description = description;
  }

  /** Options for a store with its own connection pool to {@code jdbcUrl}. */
  public static Builder builder(String jdbcUrl) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a jdbc:postgresql: URL");
    }
    return new Builder(jdbcUrl, null);
  }

  /**
   * Options for a store that borrows connections from {@code dataSource} (one per read, one per
   * write batch) and never closes it.
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(null, Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** Opens a store with its own pool to {@code jdbcUrl} (credentials in the URL). */
  public static PostgresLedgerStore open(String jdbcUrl) {
    return builder(jdbcUrl).open();
  }

  /** Options of a {@link PostgresLedgerStore}. */
  public static final class Builder {
    private final String url;
    private final DataSource dataSource;
    private final Properties properties = new Properties();
    private int poolSize = 8;
    private Duration acquireTimeout = Duration.ofSeconds(30);
    private final SetOnce once = new SetOnce();

    private Builder(String url, DataSource dataSource) {
      this.url = url;
      this.dataSource = dataSource;
    }

    /**
     * The database user (else taken from the URL).
     *
     * @throws IllegalStateException when already set
     */
    public Builder user(String user) {
      return setProperty("user", Objects.requireNonNull(user, "user"));
    }

    /**
     * The database password (else taken from the URL); never logged.
     *
     * @throws IllegalStateException when already set
     */
    public Builder password(String password) {
      return setProperty("password", Objects.requireNonNull(password, "password"));
    }

    /**
     * A pgJDBC connection property, e.g. {@code ssl=true}.
     *
     * @throws IllegalStateException when that property (or {@code user}, {@code password}) is
     *     already set
     */
    public Builder property(String name, String value) {
      return setProperty(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
    }

    private Builder setProperty(String name, String value) {
      once.mark(name);
      properties.setProperty(name, value);
      return this;
    }

    /**
     * How many connections the store's own pool opens at most; default 8.
     *
     * @throws IllegalArgumentException when less than 2
     * @throws IllegalStateException when already set
     */
    public Builder poolSize(int poolSize) {
      if (poolSize < 2) {
        throw new IllegalArgumentException("poolSize must be at least 2 (one writer, one reader)");
      }
      once.mark("poolSize");
      this.poolSize = poolSize;
      return this;
    }

    /**
     * How long to wait for a free pooled connection; default 30 s.
     *
     * @throws IllegalArgumentException when negative
     * @throws IllegalStateException when already set
     */
    public Builder acquireTimeout(Duration acquireTimeout) {
      Objects.requireNonNull(acquireTimeout, "acquireTimeout");
      if (acquireTimeout.isNegative()) {
        throw new IllegalArgumentException("acquireTimeout must not be negative");
      }
      once.mark("acquireTimeout");
      this.acquireTimeout = acquireTimeout;
      return this;
    }

    /**
     * Connects, applies missing schema migrations (one process at a time), and starts the writer.
     *
     * @throws dev.mpp.client.PaymentFailedException ({@code LEDGER_FAILURE}) when the database
     *     cannot be reached or holds a schema this SDK does not know (nothing is changed then)
     */
    public PostgresLedgerStore open() {
      ConnectionSource source;
      String description;
      if (dataSource != null) {
        source = ConnectionSource.of(dataSource, PostgresLedgerStore::configure);
        description = "DataSource " + dataSource.getClass().getName();
      } else {
        Properties props = new Properties();
        props.putAll(properties);
        props.putIfAbsent("ApplicationName", "mpp-ledger");
        props.putIfAbsent("tcpKeepAlive", "true");
        source =
            ConnectionSource.pool(
                () -> {
                  Connection connection = DriverManager.getConnection(url, props);
                  configure(connection);
                  return connection;
                },
                poolSize,
                acquireTimeout.toMillis());
        description = redact(url);
      }
      try {
        Session session = source.acquire();
        boolean broken = true;
        try {
          migrate(session.connection());
          broken = false;
        } finally {
          source.release(session, broken);
        }
      } catch (SQLException e) {
        source.close();
        throw failure("cannot open ledger " + description + ": " + e.getMessage(), e);
      }
      return new PostgresLedgerStore(source, description);
    }
  }

  @Override
  public String toString() {
    return "PostgresLedgerStore[" + description + "]";
  }

  /** The URL without its query string, where credentials may be. */
  private static String redact(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static void configure(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
  }

  // ---------------------------------------------------------------- schema

  private static void migrate(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try {
      try (PreparedStatement lock =
          connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
        lock.setLong(1, MIGRATION_LOCK);
        lock.execute();
      }
      LedgerSchema.migrate(
          connection,
          PostgresLedgerStore::tableExists,
          LedgerSchema.migrations(PostgresDialect.INSTANCE));
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private static boolean tableExists(Connection connection, String table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getBoolean(1);
      }
    }
  }

  // ---------------------------------------------------------------- JdbcLedgerStore hooks

  @Override
  Session writeSession() throws SQLException {
    Session session = connections.acquire();
    try {
      session.connection().setAutoCommit(false);
    } catch (SQLException e) {
      connections.release(session, true);
      throw e;
    }
    return session;
  }

  @Override
  void releaseWriteSession(Session session, boolean broken) {
    if (!broken) {
      try {
        session.connection().setAutoCommit(true);
      } catch (SQLException e) {
        broken = true;
      }
    }
    connections.release(session, broken);
  }

  @Override
  void begin(Session session) {
    // pgJDBC sends BEGIN with the first statement of a non-autocommit connection
  }

  @Override
  void commit(Session session) throws SQLException {
    session.connection().commit();
  }

  @Override
  void rollback(Session session) {
    try {
      session.connection().rollback();
    } catch (SQLException ignored) {
      // the connection is discarded as broken then
    }
  }

  @Override
  void lockScopes(Session session, Collection<Limit.Scope> scopes) throws SQLException {
    Connection connection = session.connection();
    String[] kinds = new String[scopes.size()];
    String[] names = new String[scopes.size()];
    int i = 0;
    for (Limit.Scope scope : scopes) {
      kinds[i] = LedgerSql.kind(scope);
      names[i] = scope.name();
      i++;
    }
    PreparedStatement statement = session.prepare(LOCK_SCOPES);
    statement.setArray(1, connection.createArrayOf("text", kinds));
    statement.setArray(2, connection.createArrayOf("text", names));
    int locked = 0;
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        locked++;
      }
    }
    if (locked != scopes.size()) {
      // a lock row vanished (deleted by hand?): writing without it could exceed a cap
      knownScopes.clear();
      throw new SQLException(
          "locked " + locked + " of " + scopes.size() + " mpp_scope rows; retry", "40001");
    }
  }

  @Override
  void prepareScopes(Collection<Limit.Scope> scopes) {
    if (knownScopes.containsAll(scopes)) {
      return;
    }
    Session session = null;
    boolean broken = false;
    try {
      session = connections.acquire();
      PreparedStatement insert = session.prepare(INSERT_SCOPE);
      for (Limit.Scope scope : scopes) {
        if (!knownScopes.contains(scope)) {
          insert.setString(1, LedgerSql.kind(scope));
          insert.setString(2, scope.name());
          insert.executeUpdate();
        }
      }
      knownScopes.addAll(scopes);
    } catch (SQLException e) {
      broken = dialect.isBroken(e);
      throw failure("cannot create the budget scope rows: " + e.getMessage(), e);
    } finally {
      if (session != null) {
        connections.release(session, broken);
      }
    }
  }

  /**
   * Inserts every record with its bucket increments, one statement each (the bucket upsert only
   * runs when the payment row was inserted), sent as JDBC batches: a round trip or two for the
   * whole batch, which matters while the fleet row is locked.
   */
  @Override
  boolean[] insertAll(Session session, List<CapCheck.Reservation> reservations)
      throws SQLException {
    boolean[] inserted = new boolean[reservations.size()];
    for (int scopes = 1; scopes <= 2; scopes++) {
      List<Integer> indexes = new java.util.ArrayList<>();
      PreparedStatement statement = null;
      for (int k = 0; k < reservations.size(); k++) {
        CapCheck.Reservation r = reservations.get(k);
        if ((r.record().fleet() == null ? 1 : 2) != scopes) {
          continue;
        }
        if (statement == null) {
          statement = session.prepare(INSERT_WITH_BUCKETS[scopes]);
        }
        int next = rows.bind(statement, 1, r.record(), r.createdNs(), r.assetKey());
        writes.bindBuckets(statement, next, r.record(), r.createdNs(), r.assetKey());
        statement.addBatch();
        indexes.add(k);
      }
      if (statement != null) {
        int[] counts = statement.executeBatch();
        for (int n = 0; n < counts.length; n++) {
          inserted[indexes.get(n)] = counts[n] > 0;
        }
      }
    }
    return inserted;
  }

  private static final String[] INSERT_WITH_BUCKETS = {
    null, insertWithBuckets(1), insertWithBuckets(2)
  };

  private static String insertWithBuckets(int scopes) {
    StringBuilder sql =
        new StringBuilder("WITH ins AS (INSERT INTO mpp_payment (")
            .append(LedgerSql.COLUMNS)
            .append(") VALUES (")
            .append("?, ".repeat(RecordRows.COLUMN_COUNT - 1))
            .append("?) ON CONFLICT (id) DO NOTHING RETURNING 1)")
            .append(
                " INSERT INTO mpp_bucket (scope_kind, scope_name, span, start_ns, asset_key,"
                    + " usd_micros, pay_count, units)"
                    + " SELECT v.k, v.n, v.s, v.t, v.a, v.u, 1, v.x FROM (VALUES ");
    for (int i = 0; i < scopes * (BucketPlan.SPANS.length + 1); i++) {
      sql.append(i == 0 ? "" : ", ")
          .append("(?::text, ?::text, ?::bigint, ?::bigint, ?::text, ?::bigint, ?::numeric)");
    }
    return sql.append(
            ") AS v (k, n, s, t, a, u, x) WHERE EXISTS (SELECT 1 FROM ins)"
                + " ON CONFLICT (scope_kind, scope_name, span, start_ns, asset_key) DO UPDATE SET"
                + " usd_micros = mpp_bucket.usd_micros + excluded.usd_micros,"
                + " pay_count = mpp_bucket.pay_count + excluded.pay_count,"
                + " units = mpp_bucket.units + excluded.units")
        .toString();
  }

  @Override
  void closeWriteResources() {
    // the writer borrows from the pool, which close() shuts
  }
}
