package dev.mpp.ledger.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/** Where a store gets its connections: a small pool of its own, or the user's DataSource. */
interface ConnectionSource extends AutoCloseable {

  /** A session for the calling thread; give it back with {@link #release}. */
  Session acquire() throws SQLException;

  /**
   * Returns a session.
   *
   * @param broken whether the connection failed in a way that makes it unfit for reuse
   */
  void release(Session session, boolean broken);

  @Override
  void close();

  /** Opens one new connection, configured for the store. */
  @FunctionalInterface
  interface Opener {
    Connection open() throws SQLException;
  }

  /**
   * A bounded pool: at most {@code size} connections, opened on demand and kept idle; callers wait
   * up to {@code timeout} for one to come back.
   */
  static ConnectionSource pool(Opener opener, int size, long timeoutMillis) {
    return new Pool(opener, size, timeoutMillis);
  }

  /** Every session is a fresh {@code getConnection()} of the user's (presumably pooling) source. */
  static ConnectionSource of(DataSource dataSource, SessionSetup setup) {
    return new ConnectionSource() {
      @Override
      public Session acquire() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
          setup.configure(connection);
        } catch (SQLException | RuntimeException e) {
          connection.close();
          throw e;
        }
        return new Session(connection);
      }

      @Override
      public void release(Session session, boolean broken) {
        session.close();
      }

      @Override
      public void close() {
        // the user owns the DataSource
      }
    };
  }

  /** Brings a borrowed connection into the state the store expects. */
  @FunctionalInterface
  interface SessionSetup {
    void configure(Connection connection) throws SQLException;
  }

  /** The store's own pool. */
  final class Pool implements ConnectionSource {
    private final Opener opener;
    private final Semaphore permits;
    private final Deque<Session> idle = new ConcurrentLinkedDeque<>();
    private final long timeoutMillis;
    private volatile boolean closed;

    Pool(Opener opener, int size, long timeoutMillis) {
      if (size < 1) {
        throw new IllegalArgumentException("pool size must be at least 1");
      }
      this.opener = opener;
      this.permits = new Semaphore(size);
      this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Session acquire() throws SQLException {
      if (closed) {
        throw new SQLException("connection pool is closed", "08003");
      }
      try {
        if (!permits.tryAcquire(timeoutMillis, TimeUnit.MILLISECONDS)) {
          throw new SQLException(
              "no connection free after " + timeoutMillis + " ms (pool exhausted)", "08001");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SQLException("interrupted while waiting for a connection", "08001", e);
      }
      try {
        Session session;
        while ((session = idle.pollFirst()) != null) {
          if (session.isOpen()) {
            return session;
          }
          session.close();
        }
        return new Session(opener.open());
      } catch (SQLException | RuntimeException e) {
        permits.release();
        throw e;
      }
    }

    @Override
    public void release(Session session, boolean broken) {
      if (broken || closed) {
        session.close();
      } else {
        idle.addFirst(session);
      }
      permits.release();
      if (closed) {
        drain();
      }
    }

    @Override
    public void close() {
      closed = true;
      drain();
    }

    private void drain() {
      Session session;
      while ((session = idle.pollFirst()) != null) {
        session.close();
      }
    }
  }
}
