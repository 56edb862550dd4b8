package dev.mpp.ledger.jdbc;

import dev.mpp.client.SetOnce;
import dev.mpp.wallet.ledger.Limit;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;
import org.sqlite.Function;
import org.sqlite.SQLiteConfig;

/**
 * The embedded ledger: one SQLite file in WAL mode. The default store of a single agent or of a few
 * processes on one host.
 *
 * <p>All writes of a store go through one connection on one thread, which runs the writes that
 * queue up meanwhile in one {@code BEGIN IMMEDIATE} transaction (group commit). {@code BEGIN
 * IMMEDIATE} takes SQLite's database write lock, so reservations from other processes on the same
 * file wait ({@code busy_timeout}) rather than interleave: a cap holds across processes. Reads use
 * a small pool of read-only connections and never block writers.
 *
 * <p>Durability: with {@link Synchronous#FULL} (the default) every commit is on disk before {@link
 * #reserve} returns, so not even a power loss forgets a reservation whose credential may have been
 * sent. {@link Synchronous#NORMAL} survives any crash of the process but may lose the last commits
 * on power loss or an OS crash; it is faster where fsync is slow. See {@code LEDGER.md}.
 *
 * <pre>{@code
 * try (LedgerStore ledger = SqliteLedgerStore.open(Path.of("payments.db"))) { ... }
 * }</pre>
 */
public final class SqliteLedgerStore extends JdbcLedgerStore {

  /** When a commit is on disk. */
  public enum Synchronous {
    /** fsync on every commit: committed reservations survive power loss. */
    FULL,
    /** fsync at checkpoints only: committed reservations survive process crashes. */
    NORMAL
  }

  private final Path file;
  private final Builder config;
  private Session writeSession;

  private SqliteLedgerStore(Path file, Builder config, Session writeSession) {
    super(
        ConnectionSource.pool(
            () -> openReader(file, config), config.readers, config.busyTimeout.toMillis()),
        "mpp-ledger-writer-sqlite",
        SqliteDialect.INSTANCE);
    this.file = file;
    this.config = config;
    this.writeSession = writeSession;
  }

  /**
   * Opens (creating it if needed) the ledger file with the defaults: {@link Synchronous#FULL}, 30 s
   * busy timeout, 4 read connections.
   *
   * @throws dev.mpp.client.PaymentFailedException ({@code LEDGER_FAILURE}) when the file is not a
   *     SQLite database, is damaged, or holds a schema this SDK does not know; the file is left as
   *     it was
   */
  public static SqliteLedgerStore open(Path file) {
    return builder(file).open();
  }

  /** Options for opening the ledger file. */
  public static Builder builder(Path file) {
    return new Builder(file);
  }

  /** Options of a {@link SqliteLedgerStore}. */
  public static final class Builder {
    private final Path file;
    private Synchronous synchronous = Synchronous.FULL;
    private Duration busyTimeout = Duration.ofSeconds(30);
    private int readers = 4;
    private final SetOnce once = new SetOnce();

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    /**
     * When a commit is on disk; default {@link Synchronous#FULL}.
     *
     * @throws IllegalStateException when already set
     */
    public Builder synchronous(Synchronous synchronous) {
      Objects.requireNonNull(synchronous, "synchronous");
      once.mark("synchronous");
      this.synchronous = Objects.requireNonNull(synchronous, "synchronous");
      return this;
    }

    /**
     * How long to wait for another process's write transaction; default 30 s.
     *
     * @throws IllegalArgumentException when negative or beyond {@code Integer.MAX_VALUE} ms
     * @throws IllegalStateException when already set
     */
    public Builder busyTimeout(Duration busyTimeout) {
      Objects.requireNonNull(busyTimeout, "busyTimeout");
      if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busyTimeout out of range");
      }
      once.mark("busyTimeout");
      this.busyTimeout = busyTimeout;
      return this;
    }

    /**
     * How many read connections to keep; default 4.
     *
     * @throws IllegalArgumentException when less than 1
     * @throws IllegalStateException when already set
     */
    public Builder readConnections(int readers) {
      if (readers < 1) {
        throw new IllegalArgumentException("readConnections must be at least 1");
      }
      once.mark("readConnections");
      this.readers = readers;
      return this;
    }

    /**
     * Opens the file, creating it and its directory if missing, and brings its schema up to date.
     *
     * @throws dev.mpp.client.PaymentFailedException ({@code LEDGER_FAILURE}) when the file is not a
     *     SQLite database, is damaged, or holds a schema this SDK does not know
     */
    public SqliteLedgerStore open() {
      try {
        Path parent = file.getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
      } catch (IOException e) {
        throw failure("cannot create the directory of ledger " + file + ": " + e.getMessage(), e);
      }
      Session writer = null;
      try {
        writer = openWriter(file, this);
        migrate(writer.connection());
        return new SqliteLedgerStore(file, this, writer);
      } catch (SQLException e) {
        if (writer != null) {
          writer.close();
        }
        throw failure("cannot open ledger " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** The ledger file. */
  public Path file() {
    return file;
  }

  @Override
  public String toString() {
    return "SqliteLedgerStore[" + file + ", synchronous=" + config.synchronous + "]";
  }

  // ---------------------------------------------------------------- connections

  private static Session openWriter(Path file, Builder config) throws SQLException {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setBusyTimeout((int) config.busyTimeout.toMillis());
    sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
    sqlite.setSynchronous(
        config.synchronous == Synchronous.FULL
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    Connection connection = sqlite.createConnection("jdbc:sqlite:" + file);
    try {
      Function.create(
          connection,
          SqliteDialect.UNITS_ADD,
          new Function() {
            @Override
            protected void xFunc() throws SQLException {
              result(new BigInteger(value_text(0)).add(new BigInteger(value_text(1))).toString());
            }
          },
          2,
          Function.FLAG_DETERMINISTIC);
      // fail now, not at the first payment, on a file that is not a readable database
      try (Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_master")) {
        rows.next();
      }
      return new Session(connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  private static Connection openReader(Path file, Builder config) throws SQLException {
    SQLiteConfig sqlite = new SQLiteConfig();
    sqlite.setBusyTimeout((int) config.busyTimeout.toMillis());
    Connection connection = sqlite.createConnection("jdbc:sqlite:" + file);
    try (Statement statement = connection.createStatement()) {
      statement.execute("PRAGMA query_only = 1");
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private static void migrate(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      try {
        LedgerSchema.migrate(
            connection,
            SqliteLedgerStore::tableExists,
            LedgerSchema.migrations(SqliteDialect.INSTANCE));
        statement.execute("COMMIT");
      } catch (SQLException | RuntimeException e) {
        statement.execute("ROLLBACK");
        throw e;
      }
    }
  }

  private static boolean tableExists(Connection connection, String table) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
      statement.setString(1, table);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  // ---------------------------------------------------------------- JdbcLedgerStore hooks

  @Override
  Session writeSession() throws SQLException {
    if (writeSession == null) {
      writeSession = openWriter(file, config);
    }
    return writeSession;
  }

  @Override
  void releaseWriteSession(Session session, boolean broken) {
    if (broken) {
      session.close();
      writeSession = null;
    }
  }

  @Override
  void begin(Session session) throws SQLException {
    try (Statement statement = session.connection().createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
    }
  }

  @Override
  void commit(Session session) throws SQLException {
    try (Statement statement = session.connection().createStatement()) {
      statement.execute("COMMIT");
    }
  }

  @Override
  void rollback(Session session) {
    try (Statement statement = session.connection().createStatement()) {
      statement.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // "no transaction is active" after a failed BEGIN; the connection is discarded otherwise
    }
  }

  @Override
  void lockScopes(Session session, Collection<Limit.Scope> scopes) {
    // BEGIN IMMEDIATE already holds the database's single write lock
  }

  @Override
  void closeWriteResources() {
    if (writeSession != null) {
      writeSession.close();
      writeSession = null;
    }
  }
}
