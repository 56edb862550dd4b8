package dev.mpp.wallet;

/**
 * Asked before paying more than a policy's approval threshold, e.g. to prompt a human or a
 * supervising service. The wallet waits at most the policy's approval timeout; no answer in time,
 * an exception or {@code false} all deny the payment ({@code APPROVAL_DENIED}) before anything is
 * reserved or signed.
 *
 * <p>Runs on a wallet thread, not the paying thread, so that the timeout holds even when the
 * callback ignores interruption. Must be thread-safe.
 */
@FunctionalInterface
public interface ApprovalCallback {

  /**
   * Decides whether the payment may go ahead.
   *
   * @return true to approve
   * @throws Exception to deny (the exception is logged, not propagated)
   */
  boolean approve(ApprovalRequest request) throws Exception;
}
