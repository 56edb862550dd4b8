package dev.mpp.client;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * An {@link Exchange} that answers from a script instead of a network, and records every request it
 * was asked to send (headers and thread). Optionally completes {@link #sendAsync} on its own
 * executor, like an asynchronous HTTP client.
 */
public final class FakeExchange implements Exchange<FakeResponse> {

  /** One scripted answer. */
  @FunctionalInterface
  public interface Step {
    /** Answers one request, or fails it in transport. */
    FakeResponse answer(Map<String, String> headers) throws IOException;
  }

  private final URI url;
  private final Deque<Step> script = new ArrayDeque<>();
  private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
  private final List<Thread> sendThreads = new CopyOnWriteArrayList<>();
  private Executor asyncExecutor;

  /** An exchange for a request to {@code url}. */
  public FakeExchange(String url) {
    this.url = URI.create(url);
  }

  /** Answers the next request with {@code response}. */
  public synchronized FakeExchange then(FakeResponse response) {
    script.add(headers -> response);
    return this;
  }

  /** Answers the next request with a transport failure. */
  public synchronized FakeExchange thenFail(IOException failure) {
    script.add(
        headers -> {
          throw failure;
        });
    return this;
  }

  /** Answers the next request with an arbitrary step. */
  public synchronized FakeExchange then(Step step) {
    script.add(step);
    return this;
  }

  /** Completes {@link #sendAsync} on {@code executor} instead of the calling thread. */
  public FakeExchange asyncOn(Executor executor) {
    this.asyncExecutor = executor;
    return this;
  }

  /** The headers the flow added to each request, in order. */
  public List<Map<String, String>> requests() {
    return List.copyOf(requests);
  }

  /** The threads that sent each request. */
  public List<Thread> sendThreads() {
    return List.copyOf(sendThreads);
  }

  /** Whether every scripted answer was used. */
  public synchronized boolean scriptDone() {
    return script.isEmpty();
  }

  @Override
  public FakeResponse send(Map<String, String> headers) throws IOException {
    requests.add(Map.copyOf(headers));
    sendThreads.add(Thread.currentThread());
    Step step;
    synchronized (this) {
      step = script.poll();
    }
    if (step == null) {
      throw new AssertionError("unexpected request #" + requests.size() + ": " + headers.keySet());
    }
    return step.answer(headers);
  }

  @Override
  public CompletableFuture<FakeResponse> sendAsync(Map<String, String> headers) {
    if (asyncExecutor == null) {
      return Exchange.super.sendAsync(headers);
    }
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return send(headers);
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        },
        asyncExecutor);
  }

  @Override
  public int status(FakeResponse response) {
    return response.status;
  }

  @Override
  public List<String> headers(FakeResponse response, String name) {
    return response.headers(name);
  }

  @Override
  public URI url(FakeResponse response) {
    if (response.urlUnknown) {
      return null;
    }
    return response.url != null ? response.url : url;
  }

  @Override
  public byte[] peekBody(FakeResponse response, int maxBytes) {
    return Arrays.copyOf(response.body, Math.min(maxBytes, response.body.length));
  }

  @Override
  public void discard(FakeResponse response) {
    response.discarded = true;
  }
}
