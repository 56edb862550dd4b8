package dev.mpp.wallet;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Wallet#preview} answers: a selection's verdicts, with the caps checked against the
 * ledger's current usage instead of reserving.
 */
final class OfferPreviews {
  private OfferPreviews() {}

  /**
   * One preview per option of {@code selection}, in its order; the first allowed option that fits
   * under every cap is the chosen one.
   */
  static List<OfferPreview> of(
      Selection selection,
      PayingAgent payer,
      PaymentContext context,
      LedgerStore ledger,
      Instant now) {
    Map<Selection.Option, String> capDenials = new IdentityHashMap<>();
    Selection.Option chosen = null;
    for (Selection.Option option : selection.allowed()) {
      PaymentRecord draft = RailCharge.draft(context, payer, option, "preview", now);
      String denial = null;
      for (Limit limit : payer.limits(option.amount.asset().key(), now)) {
        Optional<PaymentDeniedException> denied =
            limit.check(ledger.usage(limit.scope(), limit.since(), limit.assetKey()), draft);
        if (denied.isPresent()) {
          denial = denied.get().getMessage();
          break;
        }
      }
      if (denial == null) {
        chosen = option;
        break;
      }
      capDenials.put(option, denial);
    }
    List<OfferPreview> previews = new ArrayList<>();
    for (Selection.Option option : selection.options()) {
      OfferPreview.Status status =
          switch (option.verdict) {
            case ALLOWED ->
                capDenials.containsKey(option)
                    ? OfferPreview.Status.DENIED
                    : OfferPreview.Status.PAYABLE;
            case UNSUPPORTED -> OfferPreview.Status.UNSUPPORTED;
            case UNPRICED -> OfferPreview.Status.UNPRICED;
            case INVALID -> OfferPreview.Status.INVALID;
            case DENIED -> OfferPreview.Status.DENIED;
          };
      String reason =
          status == OfferPreview.Status.PAYABLE
              ? null
              : capDenials.containsKey(option) ? capDenials.get(option) : option.reason;
      boolean priced = option.amount != null && status != OfferPreview.Status.UNPRICED;
      previews.add(
          new OfferPreview(
              option.challenge,
              option.rail == null ? null : option.rail.method(),
              status,
              reason,
              option.amount,
              option.fee,
              priced ? option.usdMicros : null,
              priced ? option.feeUsdMicros : null,
              option == chosen));
    }
    return previews;
  }
}
