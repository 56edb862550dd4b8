package dev.mpp.wallet;

import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the {@link ApprovalCallback} before a payment above a policy's approval threshold. The
 * callback runs on the gate's own daemon threads, so that the policies' timeout holds even when it
 * ignores interruption; no answer in time, an exception or anything but {@code true} denies.
 */
final class ApprovalGate implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApprovalGate.class);

  private final ApprovalCallback callback;
  private final ExecutorService executor;

  /** A gate that asks {@code callback}, or refuses every payment needing approval when null. */
  ApprovalGate(ApprovalCallback callback) {
    this.callback = callback;
    this.executor = callback == null ? null : newExecutor();
  }

  /**
   * What approval a payment of {@code usdMicros} needs under {@code policies}.
   *
   * @param rule the first policy's approval rule, e.g. {@code agent:bot/approval}
   * @param timeout the shortest approval timeout of the policies that ask
   */
  record Need(String rule, Duration timeout) {}

  /** The approval {@code usdMicros} needs, or empty when no policy asks for one. */
  static Optional<Need> need(List<Selection.Scoped> policies, long usdMicros) {
    String rule = null;
    Duration timeout = null;
    for (Selection.Scoped s : policies) {
      if (s.policy().requiresApproval(usdMicros)) {
        rule = rule == null ? s.label() + "/approval" : rule;
        Duration t = s.policy().approvalTimeout();
        timeout = timeout == null || t.compareTo(timeout) < 0 ? t : timeout;
      }
    }
    return rule == null ? Optional.empty() : Optional.of(new Need(rule, timeout));
  }

  /**
   * Lets {@code option} through when no policy of {@code payer} asks for approval or the callback
   * approves it in time.
   *
   * @throws PaymentDeniedException {@code APPROVAL_DENIED}, naming the rule, otherwise
   */
  void check(PayingAgent payer, Selection.Option option, PaymentContext context) {
    Optional<Need> need = need(payer.scoped(), option.usdMicros);
    if (need.isEmpty()) {
      return;
    }
    String rule = need.get().rule();
    ApprovalRequest request =
        new ApprovalRequest(
            payer.agent(),
            payer.fleet(),
            context.safeUrl(),
            option.challenge.realm(),
            option.challenge.method(),
            option.challenge.intent(),
            option.challenge.id(),
            option.spend.recipient(),
            option.challenge.description().orElse(null),
            option.amount,
            option.usdMicros,
            option.feeUsdMicros,
            rule);
    Optional<String> refusal = refusal(request, need.get().timeout());
    if (refusal.isPresent()) {
      log.debug("agent {}: {} {} for {}", payer.agent(), rule, refusal.get(), option.label());
      throw new PaymentDeniedException(
          ErrorCode.APPROVAL_DENIED,
          rule,
          Usd.toDecimal(option.usdMicros),
          null,
          null,
          "usd",
          rule + ": " + Usd.format(option.usdMicros) + " usd payment " + refusal.get());
    }
  }

  /** Runs the callback for at most {@code timeout}; empty when approved, else why not. */
  Optional<String> refusal(ApprovalRequest request, Duration timeout) {
    if (callback == null) {
      return Optional.of("needs approval but no approval callback is configured");
    }
    Future<Boolean> answer;
    try {
      answer = executor.submit(() -> callback.approve(request));
    } catch (RuntimeException e) {
      return Optional.of("could not ask for approval (" + e.getClass().getSimpleName() + ")");
    }
    try {
      return Boolean.TRUE.equals(answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS))
          ? Optional.empty()
          : Optional.of("was not approved");
    } catch (TimeoutException e) {
      answer.cancel(true);
      return Optional.of("got no approval within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      answer.cancel(true);
      Thread.currentThread().interrupt();
      return Optional.of("was interrupted while waiting for approval");
    } catch (ExecutionException e) {
      log.warn("approval callback failed: {}", e.getCause().getClass().getName());
      return Optional.of(
          "was not approved (callback failed: " + e.getCause().getClass().getSimpleName() + ")");
    }
  }

  /** Stops the approval threads; a callback still running is interrupted. */
  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private static ExecutorService newExecutor() {
    AtomicInteger count = new AtomicInteger();
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "mpp-approval-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }
}
