package dev.mpp.testkit.scenario;

import dev.mpp.client.Payer;
import dev.mpp.client.PaymentFlow.AcceptPaymentMode;
import io.github.resilience4j.retry.Retry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How a scenario wants its client built; a driver maps each option onto its adapter's builder.
 *
 * @param payer the payer (fake payer or wallet)
 * @param agent the agent name
 * @param allowInsecureHttp the adapter's {@code allowInsecureHttp}
 * @param returnUnpaidResponses the adapter's {@code returnUnpaidResponses}
 * @param transportRetry the resilience4j retry for paid attempts, or null for none
 * @param acceptPayment when to advertise {@code Accept-Payment}
 * @param proxy an HTTP proxy every request goes through (lets a loopback server answer for any host
 *     name), or null
 * @param maxBufferedBody the adapter's {@code maxBufferedBody}
 * @param flowExecutor the flow's executor for asynchronous calls, or null for the default
 * @param timeout how long a request may take before the client gives up
 */
public record ClientOptions(
    Payer payer,
    String agent,
    boolean allowInsecureHttp,
    boolean returnUnpaidResponses,
    Retry transportRetry,
    AcceptPaymentMode acceptPayment,
    InetSocketAddress proxy,
    long maxBufferedBody,
    Executor flowExecutor,
    Duration timeout) {

  /** The agent scenarios pay for unless they say otherwise. */
  public static final String DEFAULT_AGENT = "scenario-bot";

  /** Validates the components. */
  public ClientOptions {
    Objects.requireNonNull(payer, "payer");
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(acceptPayment, "acceptPayment");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Defaults: agent {@code scenario-bot}, secure transport only, typed errors, no retry. */
  public static ClientOptions of(Payer payer) {
    return new ClientOptions(
        payer,
        DEFAULT_AGENT,
        false,
        false,
        null,
        AcceptPaymentMode.KNOWN_ORIGINS,
        null,
        4L << 20,
        null,
        Duration.ofSeconds(10));
  }

  /** With {@code allowInsecureHttp}. */
  public ClientOptions allowInsecureHttp(boolean allow) {
    return new ClientOptions(
        payer,
        agent,
        allow,
        returnUnpaidResponses,
        transportRetry,
        acceptPayment,
        proxy,
        maxBufferedBody,
        flowExecutor,
        timeout);
  }

  /** With {@code returnUnpaidResponses}. */
  public ClientOptions returnUnpaidResponses(boolean returnUnpaid) {
    return new ClientOptions(
        payer,
        agent,
        allowInsecureHttp,
        returnUnpaid,
        transportRetry,
        acceptPayment,
        proxy,
        maxBufferedBody,
        flowExecutor,
        timeout);
  }

  /** With a transport retry for paid attempts. */
  public ClientOptions transportRetry(Retry retry) {
    return new ClientOptions(
        payer,
        agent,
        allowInsecureHttp,
        returnUnpaidResponses,
        retry,
        acceptPayment,
        proxy,
        maxBufferedBody,
        flowExecutor,
        timeout);
  }

  /** With an {@code Accept-Payment} mode. */
  public ClientOptions acceptPayment(AcceptPaymentMode mode) {
    return new ClientOptions(
        payer,
        agent,
        allowInsecureHttp,
        returnUnpaidResponses,
        transportRetry,
        mode,
        proxy,
        maxBufferedBody,
        flowExecutor,
        timeout);
  }

  /** With every request sent through {@code proxy}. */
  public ClientOptions proxy(InetSocketAddress proxy) {
    return new ClientOptions(
        payer,
        agent,
        allowInsecureHttp,
        returnUnpaidResponses,
        transportRetry,
        acceptPayment,
        proxy,
        maxBufferedBody,
        flowExecutor,
        timeout);
  }

  /** With a body buffering limit. */
  public ClientOptions maxBufferedBody(long bytes) {
    return new ClientOptions(
        payer,
        agent,
        allowInsecureHttp,
        returnUnpaidResponses,
        transportRetry,
        acceptPayment,
        proxy,
        bytes,
        flowExecutor,
        timeout);
  }

  /** With the flow's executor. */
  public ClientOptions flowExecutor(Executor executor) {
    return new ClientOptions(
        payer,
        agent,
        allowInsecureHttp,
        returnUnpaidResponses,
        transportRetry,
        acceptPayment,
        proxy,
        maxBufferedBody,
        executor,
        timeout);
  }

  /** With a request timeout. */
  public ClientOptions timeout(Duration timeout) {
    return new ClientOptions(
        payer,
        agent,
        allowInsecureHttp,
        returnUnpaidResponses,
        transportRetry,
        acceptPayment,
        proxy,
        maxBufferedBody,
        flowExecutor,
        timeout);
  }
}
