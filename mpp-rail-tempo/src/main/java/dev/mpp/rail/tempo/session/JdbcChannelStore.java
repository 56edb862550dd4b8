package dev.mpp.rail.tempo.session;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.ledger.jdbc.SqliteLedgerStore;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * A {@link ChannelStore} in a SQLite file or a PostgreSQL database, in the table {@code
 * mpp_session_channel} (its own versioned schema in {@code mpp_session_schema_version}, so it can
 * share a database with the ledger). Amounts are stored as decimal text; every change is a
 * compare-and-set on the row's version, and a partial unique index keeps one active channel per
 * key, so several processes may share one store.
 *
 * <p>One connection per store, used under a lock: each operation is one or two short statements.
 */
public final class JdbcChannelStore implements ChannelStore {

  /** The schema version this SDK writes. */
  static final int VERSION = 1;

  private static final String COLUMNS =
      "channel_id, channel_key, agent, origin, realm, chain_id, escrow, payee, token, protocol,"
          + " payer, operator, salt, authorized_signer, expiring_nonce_hash, deposit,"
          + " highest_signed, accepted, spent, hold_ids, status, url, open_tx, close_tx, settled,"
          + " created_ms, updated_ms, version";

  private static final List<String> DDL =
      List.of(
          "CREATE TABLE mpp_session_channel ("
              + "channel_id TEXT PRIMARY KEY, channel_key TEXT NOT NULL, agent TEXT NOT NULL,"
              + " origin TEXT NOT NULL, realm TEXT NOT NULL, chain_id BIGINT NOT NULL,"
              + " escrow TEXT NOT NULL, payee TEXT NOT NULL, token TEXT NOT NULL,"
              + " protocol TEXT NOT NULL, payer TEXT NOT NULL, operator TEXT, salt TEXT NOT NULL,"
              + " authorized_signer TEXT NOT NULL, expiring_nonce_hash TEXT,"
              + " deposit TEXT NOT NULL, highest_signed TEXT NOT NULL, accepted TEXT NOT NULL,"
              + " spent TEXT NOT NULL, hold_ids TEXT NOT NULL, status TEXT NOT NULL, url TEXT,"
              + " open_tx TEXT, close_tx TEXT, settled TEXT, created_ms BIGINT NOT NULL,"
              + " updated_ms BIGINT NOT NULL, version BIGINT NOT NULL)",
          "CREATE UNIQUE INDEX mpp_session_channel_active ON mpp_session_channel (channel_key)"
              + " WHERE status <> 'CLOSED'",
          "CREATE INDEX mpp_session_channel_agent ON mpp_session_channel (agent, created_ms)");

  /** The database flavour. */
  enum Dialect {
    SQLITE,
    POSTGRES
  }

  /** Opens connections. */
  @FunctionalInterface
  interface Connector {
    Connection connect() throws SQLException;
  }

  private final Dialect dialect;
  private final Connector connector;
  private final String description;
  private final ReentrantLock lock = new ReentrantLock();
  private Connection connection;
  private boolean closed;

  private JdbcChannelStore(Dialect dialect, Connector connector, String description) {
    this.dialect = dialect;
    this.connector = connector;
    this.description = description;
  }

  /**
   * Opens (creating if needed) the store in the SQLite file {@code file}, which may be the ledger's
   * file, with every commit fsynced ({@link SqliteLedgerStore.Synchronous#FULL}).
   *
   * @throws PaymentFailedException when the file cannot be opened or its schema is newer
   */
  public static JdbcChannelStore sqlite(Path file) {
    return sqlite(file, SqliteLedgerStore.Synchronous.FULL);
  }

  /**
   * Opens (creating if needed) the store in the SQLite file {@code file}. With {@link
   * SqliteLedgerStore.Synchronous#NORMAL} a channel's state survives process crashes but the last
   * commits may be lost with the machine (power loss): then the rail could sign an amount again
   * that it already signed, which costs the payer nothing but may make the server refuse that
   * request.
   *
   * @throws PaymentFailedException when the file cannot be opened or its schema is newer
   */
  public static JdbcChannelStore sqlite(Path file, SqliteLedgerStore.Synchronous synchronous) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(synchronous, "synchronous");
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    JdbcChannelStore store =
        new JdbcChannelStore(
            Dialect.SQLITE,
            () -> {
              Connection c = DriverManager.getConnection(url);
              try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 10000");
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = " + synchronous.name());
              }
              return c;
            },
            "sqlite:" + file.getFileName() + ", " + synchronous);
    store.open();
    return store;
  }

  /**
   * Opens (creating the table if needed) the store in the PostgreSQL database at {@code jdbcUrl}.
   *
   * @param properties connection properties ({@code user}, {@code password}, {@code currentSchema},
   *     …)
   * @throws PaymentFailedException when the database cannot be reached or its schema is newer
   */
  public static JdbcChannelStore postgres(String jdbcUrl, Properties properties) {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Properties copy = new Properties();
    if (properties != null) {
      copy.putAll(properties);
    }
    JdbcChannelStore store =
        new JdbcChannelStore(
            Dialect.POSTGRES, () -> DriverManager.getConnection(jdbcUrl, copy), "postgres");
    store.open();
    return store;
  }

  /** Opens the store in the PostgreSQL database behind {@code dataSource}. */
  public static JdbcChannelStore postgres(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    JdbcChannelStore store =
        new JdbcChannelStore(Dialect.POSTGRES, dataSource::getConnection, "postgres");
    store.open();
    return store;
  }

  private void open() {
    run(
        "migrate",
        c -> {
          migrate(c);
          return null;
        });
  }

  private void migrate(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      if (dialect == Dialect.SQLITE) {
        c.setAutoCommit(true);
        s.execute("BEGIN IMMEDIATE");
      } else {
        s.execute("SELECT pg_advisory_xact_lock(7265734907)");
      }
      s.execute(
          "CREATE TABLE IF NOT EXISTS mpp_session_schema_version (version INTEGER PRIMARY KEY,"
              + " applied_ms BIGINT NOT NULL)");
      int found;
      try (ResultSet rows =
          s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM mpp_session_schema_version")) {
        rows.next();
        found = rows.getInt(1);
      }
      if (found > VERSION) {
        throw new SQLException(
            "the session channel schema is version "
                + found
                + ", newer than version "
                + VERSION
                + " that this SDK knows; upgrade the SDK");
      }
      if (found < 1) {
        for (String ddl : DDL) {
          s.execute(ddl);
        }
        try (PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO mpp_session_schema_version (version, applied_ms) VALUES (?, ?)")) {
          insert.setInt(1, 1);
          insert.setLong(2, System.currentTimeMillis());
          insert.executeUpdate();
        }
      }
      if (dialect == Dialect.SQLITE) {
        s.execute("COMMIT");
      } else {
        c.commit();
      }
    } catch (SQLException e) {
      try {
        if (dialect == Dialect.SQLITE) {
          try (Statement s = c.createStatement()) {
            s.execute("ROLLBACK");
          }
        } else {
          c.rollback();
        }
      } catch (SQLException ignored) {
        // the connection is discarded by run()
      }
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  @Override
  public Optional<ChannelState> active(ChannelKey key) {
    Objects.requireNonNull(key, "key");
    return run(
        "read",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM mpp_session_channel WHERE channel_key = ? AND status <> 'CLOSED'")) {
            s.setString(1, key.id());
            return first(s);
          }
        });
  }

  @Override
  public Optional<ChannelState> find(Bytes32 channelId) {
    Objects.requireNonNull(channelId, "channelId");
    return run(
        "read",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM mpp_session_channel WHERE channel_id = ?")) {
            s.setString(1, channelId.toHex());
            return first(s);
          }
        });
  }

  @Override
  public List<ChannelState> list(String agent) {
    return run(
        "read",
        c -> {
          String sql =
              "SELECT "
                  + COLUMNS
                  + " FROM mpp_session_channel"
                  + (agent == null ? "" : " WHERE agent = ?")
                  + " ORDER BY created_ms, channel_id";
          try (PreparedStatement s = c.prepareStatement(sql)) {
            if (agent != null) {
              s.setString(1, agent);
            }
            List<ChannelState> out = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
              while (rows.next()) {
                out.add(read(rows));
              }
            }
            return out;
          }
        });
  }

  @Override
  public boolean insert(ChannelState state) {
    Objects.requireNonNull(state, "state");
    return run(
        "insert",
        c -> {
          try (PreparedStatement exists =
              c.prepareStatement("SELECT 1 FROM mpp_session_channel WHERE channel_id = ?")) {
            exists.setString(1, state.channelId().toHex());
            try (ResultSet rows = exists.executeQuery()) {
              if (rows.next()) {
                throw new IllegalArgumentException("channel " + state.channelId() + " exists");
              }
            }
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO mpp_session_channel ("
                      + COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                      + " ?, ?, ?, ?, ?, ?, ?)")) {
            bind(s, state);
            s.executeUpdate();
            return true;
          } catch (SQLException e) {
            if (isUniqueViolation(e)) {
              return false;
            }
            throw e;
          }
        });
  }

  @Override
  public boolean update(ChannelState expected, ChannelState next) {
    Stores.requireSuccessor(expected, next);
    return run(
        "update",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE mpp_session_channel SET deposit = ?, highest_signed = ?, accepted = ?,"
                      + " spent = ?, hold_ids = ?, status = ?, url = ?, open_tx = ?, close_tx = ?,"
                      + " settled = ?, updated_ms = ?, version = ? WHERE channel_id = ?"
                      + " AND version = ?")) {
            s.setString(1, next.deposit().toString());
            s.setString(2, next.highestSigned().toString());
            s.setString(3, next.accepted().toString());
            s.setString(4, next.spent().toString());
            s.setString(5, String.join(",", next.holdIds()));
            s.setString(6, next.status().name());
            s.setString(7, next.url());
            s.setString(8, next.openTxHash());
            s.setString(9, next.closeTxHash());
            s.setString(10, next.settled() == null ? null : next.settled().toString());
            s.setLong(11, next.updatedAt().toEpochMilli());
            s.setLong(12, next.version());
            s.setString(13, next.channelId().toHex());
            s.setLong(14, expected.version());
            return s.executeUpdate() == 1;
          }
        });
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      discard();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "JdbcChannelStore[" + description + "]";
  }

  // ---------------------------------------------------------------- plumbing

  @FunctionalInterface
  private interface Work<T> {
    T apply(Connection connection) throws SQLException;
  }

  private <T> T run(String what, Work<T> work) {
    lock.lock();
    try {
      if (closed) {
        throw new PaymentFailedException(ErrorCode.LEDGER_FAILURE, "channel store is closed");
      }
      for (int attempt = 0; ; attempt++) {
        try {
          if (connection == null) {
            connection = connector.connect();
          }
          return work.apply(connection);
        } catch (SQLException e) {
          boolean broken = isBroken(e);
          if (broken) {
            discard();
          }
          if (broken && attempt == 0) {
            continue; // a dropped connection: reconnect once
          }
          throw new PaymentFailedException(
              ErrorCode.LEDGER_FAILURE, "channel store " + what + " failed: " + e.getMessage(), e);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean isBroken(SQLException e) {
    String state = e.getSQLState();
    try {
      return connection == null
          || connection.isClosed()
          || (state != null && state.startsWith("08"));
    } catch (SQLException ignored) {
      return true;
    }
  }

  private void discard() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // nothing more to do with a connection that fails to close
      }
      connection = null;
    }
  }

  private boolean isUniqueViolation(SQLException e) {
    if (dialect == Dialect.POSTGRES) {
      return "23505".equals(e.getSQLState());
    }
    String message = e.getMessage();
    return e.getErrorCode() == 19 || (message != null && message.contains("UNIQUE constraint"));
  }

  private Optional<ChannelState> first(PreparedStatement s) throws SQLException {
    try (ResultSet rows = s.executeQuery()) {
      return rows.next() ? Optional.of(read(rows)) : Optional.empty();
    }
  }

  private static void bind(PreparedStatement s, ChannelState state) throws SQLException {
    ChannelKey key = state.key();
    ChannelDescriptor d = state.descriptor();
    s.setString(1, state.channelId().toHex());
    s.setString(2, key.id());
    s.setString(3, key.agent());
    s.setString(4, key.origin());
    s.setString(5, key.realm());
    s.setLong(6, key.chainId());
    s.setString(7, key.escrow().toLowerHex());
    s.setString(8, key.payee().toLowerHex());
    s.setString(9, key.token().toLowerHex());
    s.setString(10, key.protocol().wireName());
    s.setString(11, d.payer().toLowerHex());
    setNullable(s, 12, d.operator() == null ? null : d.operator().toLowerHex());
    s.setString(13, d.salt().toHex());
    s.setString(14, d.authorizedSigner().toLowerHex());
    setNullable(s, 15, d.expiringNonceHash() == null ? null : d.expiringNonceHash().toHex());
    s.setString(16, state.deposit().toString());
    s.setString(17, state.highestSigned().toString());
    s.setString(18, state.accepted().toString());
    s.setString(19, state.spent().toString());
    s.setString(20, String.join(",", state.holdIds()));
    s.setString(21, state.status().name());
    setNullable(s, 22, state.url());
    setNullable(s, 23, state.openTxHash());
    setNullable(s, 24, state.closeTxHash());
    setNullable(s, 25, state.settled() == null ? null : state.settled().toString());
    s.setLong(26, state.createdAt().toEpochMilli());
    s.setLong(27, state.updatedAt().toEpochMilli());
    s.setLong(28, state.version());
  }

  private static void setNullable(PreparedStatement s, int index, String value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  private static ChannelState read(ResultSet r) throws SQLException {
    SessionProtocol protocol =
        SessionProtocol.fromWire(r.getString(10))
            .orElseThrow(() -> new SQLException("unknown protocol in the channel store"));
    EvmAddress escrow = EvmAddress.parse(r.getString(7));
    EvmAddress payee = EvmAddress.parse(r.getString(8));
    EvmAddress token = EvmAddress.parse(r.getString(9));
    ChannelKey key =
        new ChannelKey(
            r.getString(3),
            r.getString(4),
            r.getString(5),
            r.getLong(6),
            escrow,
            payee,
            token,
            protocol);
    String operator = r.getString(12);
    String nonceHash = r.getString(15);
    ChannelDescriptor descriptor =
        new ChannelDescriptor(
            protocol,
            EvmAddress.parse(r.getString(11)),
            payee,
            operator == null ? null : EvmAddress.parse(operator),
            token,
            Bytes32.parse(r.getString(13)),
            EvmAddress.parse(r.getString(14)),
            nonceHash == null ? null : Bytes32.parse(nonceHash));
    String holds = r.getString(20);
    String settled = r.getString(25);
    return new ChannelState(
        key,
        Bytes32.parse(r.getString(1)),
        descriptor,
        new BigInteger(r.getString(16)),
        new BigInteger(r.getString(17)),
        new BigInteger(r.getString(18)),
        new BigInteger(r.getString(19)),
        holds.isEmpty() ? List.of() : Arrays.asList(holds.split(",")),
        ChannelStatus.valueOf(r.getString(21)),
        r.getString(22),
        r.getString(23),
        r.getString(24),
        settled == null ? null : new BigInteger(settled),
        Instant.ofEpochMilli(r.getLong(26)),
        Instant.ofEpochMilli(r.getLong(27)),
        r.getLong(28));
  }
}
