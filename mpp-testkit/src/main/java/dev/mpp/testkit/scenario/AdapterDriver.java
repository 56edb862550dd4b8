package dev.mpp.testkit.scenario;

import java.util.concurrent.CompletableFuture;

/**
 * What the shared scenario suite needs from an HTTP adapter: build a client from {@link
 * ClientOptions} and run {@link HttpCall}s through it, synchronously and asynchronously. Drivers
 * translate only; every assertion lives in {@link AdapterScenarios}.
 */
public interface AdapterDriver {

  /** A short name for test reports, e.g. {@code okhttp}. */
  String name();

  /** Builds a client; the scenario closes it. */
  Client client(ClientOptions options);

  /** A client under test. */
  interface Client extends AutoCloseable {

    /**
     * Runs a call on the calling thread ({@code Call.execute}, {@code HttpClient.send}), reading
     * the whole body.
     *
     * @throws Exception whatever the library throws; the suite looks for the typed payment error in
     *     the cause chain
     */
    HttpReply execute(HttpCall call) throws Exception;

    /** Runs a call asynchronously ({@code Call.enqueue}, {@code HttpClient.sendAsync}). */
    CompletableFuture<HttpReply> executeAsync(HttpCall call);

    /**
     * Fails when a response or connection the adapter handled is still held open. Drivers whose
     * library exposes no connection state assert what they can, and say so.
     */
    void assertNoLeaks();

    @Override
    void close();
  }
}
