package dev.mpp.testkit.stack;

import java.net.URI;
import java.time.Duration;

/**
 * A {@link LocalChain} plus a {@link LocalMppServer} settling on it: everything a real-peer test
 * needs. Start it once per JVM through {@link LocalStackExtension}, or by hand with {@link
 * #start()} in a try-with-resources block.
 *
 * <p>Thread-safe.
 */
public final class LocalStack implements AutoCloseable {

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final LocalChain chain;
  private final LocalMppServer server;
  private final Duration startupTime;

  private LocalStack(LocalChain chain, LocalMppServer server, Duration startupTime) {
    this.chain = chain;
    this.server = server;
    this.startupTime = startupTime;
  }

  /**
   * Starts the chain and the server and returns once the server is ready and the chain has mined
   * block 1 (no payment may happen before that; see {@link LocalChain}).
   *
   * @throws StackUnavailableException if a piece is missing or does not start
   */
  public static LocalStack start() {
    long started = System.nanoTime();
    LocalChain chain = LocalChain.launch(STARTUP_TIMEOUT);
    try {
      // Node needs ~2 s to load mppx and viem, longer than anvil takes to mine block 1: boot the
      // server while the chain gets there instead of one after the other.
      LocalMppServer server = LocalMppServer.start(chain.rpcUrl(), STARTUP_TIMEOUT);
      try {
        chain.awaitReady(STARTUP_TIMEOUT);
      } catch (RuntimeException e) {
        server.close();
        throw e;
      }
      return new LocalStack(chain, server, Duration.ofNanos(System.nanoTime() - started));
    } catch (RuntimeException e) {
      chain.close();
      throw e;
    }
  }

  /** The chain. */
  public LocalChain chain() {
    return chain;
  }

  /** The reference server. */
  public LocalMppServer server() {
    return server;
  }

  /** Shorthand for {@code server().url(route)}. */
  public URI url(ServerRoute route) {
    return server.url(route);
  }

  /** Shorthand for {@code chain().rpcUrl()}. */
  public URI rpcUrl() {
    return chain.rpcUrl();
  }

  /** How long {@link #start()} took. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Whether both processes are still running. */
  public boolean isAlive() {
    return chain.isAlive() && server.isAlive();
  }

  /** Stops the server, then the chain. Idempotent. */
  @Override
  public void close() {
    try {
      server.close();
    } finally {
      chain.close();
    }
  }

  @Override
  public String toString() {
    return "LocalStack[" + chain + ", " + server + "]";
  }
}
