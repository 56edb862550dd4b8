package dev.mpp.ledger.jdbc;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.wallet.ledger.Limit;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The store's single write path: one thread takes every pending write, runs them in one transaction
 * and commits once, so that a durable commit (an fsync of a few milliseconds on common disks) is
 * paid per batch rather than per payment. Each write still sees the writes before it in the batch,
 * so limits stay exact.
 *
 * <p>Callers block until their write committed (or failed) and are not interruptible while they
 * wait: a reservation that went ahead after its caller had given up would be held with nobody to
 * release it.
 */
final class GroupCommitWriter implements AutoCloseable {

  /** One write, run inside the batch transaction. */
  @FunctionalInterface
  interface Write<T> {
    /**
     * Performs the write.
     *
     * @throws Refusal for an outcome the caller must see (denial, bad transition) — thrown only
     *     before the write changed anything, so the rest of the batch proceeds
     * @throws SQLException when storage failed; the batch is rolled back
     */
    T apply(Session session) throws SQLException;
  }

  /** Runs one batch in one transaction and settles every task of it. */
  @FunctionalInterface
  interface BatchRunner {
    void run(List<Task<?>> batch);
  }

  /**
   * A refused write: carries the exception for the caller. Throwing it means nothing was written.
   */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final RuntimeException reason;

    Refusal(RuntimeException reason) {
      super(null, null, false, false);
      this.reason = reason;
    }

    RuntimeException reason() {
      return reason;
    }
  }

  /** A queued write and its outcome. */
  static final class Task<T> {
    final Write<T> write;
    final Set<Limit.Scope> scopes;
    final Object input;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();

    Task(Write<T> write, Set<Limit.Scope> scopes, Object input) {
      this.write = write;
      this.scopes = scopes;
      this.input = input;
    }

    @SuppressWarnings("unchecked")
    void succeed(Object value) {
      outcome.complete((T) value);
    }

    void fail(RuntimeException e) {
      outcome.completeExceptionally(e);
    }

    boolean isDone() {
      return outcome.isDone();
    }
  }

  private static final Task<Void> STOP = new Task<>(s -> null, Set.of(), null);

  private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Object admission = new Object();
  private final BatchRunner runner;
  private final int maxBatch;
  private final Thread thread;
  private boolean closed;
  private final java.util.concurrent.atomic.AtomicLong batches =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong writes =
      new java.util.concurrent.atomic.AtomicLong();

  GroupCommitWriter(String name, BatchRunner runner, int maxBatch) {
    this.runner = runner;
    this.maxBatch = maxBatch;
    this.thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues {@code write} and waits for its batch to commit.
   *
   * @param scopes the budget scopes the write changes (locked by stores that lock per scope)
   */
  <T> T submit(Write<T> write, Set<Limit.Scope> scopes) {
    return submit(new Task<>(write, scopes, null));
  }

  /**
   * Queues a write that the {@link BatchRunner} performs from {@code input} (so that it can treat
   * all such writes of a batch together), and waits for its batch to commit.
   */
  <T> T submitInput(Object input, Set<Limit.Scope> scopes) {
    return submit(new Task<T>(null, scopes, input));
  }

  private <T> T submit(Task<T> task) {
    synchronized (admission) {
      if (closed) {
        throw new PaymentFailedException(ErrorCode.LEDGER_FAILURE, "the ledger is closed");
      }
      queue.add(task);
    }
    try {
      return task.outcome.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private void loop() {
    List<Task<?>> batch = new ArrayList<>(maxBatch);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        // only close() stops the writer; it does so with STOP, not by interrupting
        continue;
      }
      queue.drainTo(batch, maxBatch - 1);
      stop = batch.remove(STOP);
      if (!batch.isEmpty()) {
        batches.incrementAndGet();
        writes.addAndGet(batch.size());
        try {
          runner.run(batch);
        } catch (RuntimeException | Error e) {
          failAll(batch, JdbcLedgerStore.failure("ledger write failed unexpectedly", e));
        }
        failAll(batch, JdbcLedgerStore.failure("ledger write was not settled", null));
      }
      batch.clear();
    }
    List<Task<?>> rest = new ArrayList<>();
    queue.drainTo(rest);
    failAll(rest, new PaymentFailedException(ErrorCode.LEDGER_FAILURE, "the ledger is closed"));
  }

  private static void failAll(Collection<Task<?>> tasks, RuntimeException e) {
    for (Task<?> task : tasks) {
      if (!task.isDone()) {
        task.fail(e);
      }
    }
  }

  /** Batches run so far (for the benchmark's report). */
  long batches() {
    return batches.get();
  }

  /** Writes run so far (for the benchmark's report). */
  long writes() {
    return writes.get();
  }

  /** Lets the writes already queued finish, then stops the writer thread. */
  @Override
  public void close() {
    synchronized (admission) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
