package dev.mpp.wallet;

import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.wallet.policy.Spend;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every offer against every rail that could pay it: quote, price, policy. Keeps the
 * verdict on each for the choice rationale and orders the allowed ones, cheapest first.
 */
final class Selection {
  private static final Logger log = LoggerFactory.getLogger(Selection.class);

  /** At most this many alternatives are described in a rationale; the rest are counted. */
  private static final int MAX_DESCRIBED = 16;

  /** Server-chosen strings are shortened so that a hostile 402 cannot bloat every record. */
  private static final int MAX_ID_CHARS = 48;

  private static final int MAX_RATIONALE_CHARS = 4096;

  /** Orders allowed options: preferred methods first, then cheapest, then server and rail order. */
  private static final Comparator<Option> ORDER =
      Comparator.<Option>comparingInt(o -> o.preference)
          .thenComparingLong(Option::totalUsdMicros)
          .thenComparingInt(o -> o.offerIndex)
          .thenComparingInt(o -> o.railIndex);

  enum Verdict {
    ALLOWED,
    UNSUPPORTED,
    UNPRICED,
    INVALID,
    DENIED
  }

  /** One offer paid through one rail (or an offer no rail can pay). */
  static final class Option {
    final int offerIndex;
    final Challenge challenge;
    final Rail rail;
    final int railIndex;
    Verdict verdict;
    String reason;
    Money amount;
    Money fee;
    long usdMicros;
    long feeUsdMicros;
    int preference;
    PaymentDeniedException denial;
    Spend spend;

    Option(int offerIndex, Challenge challenge, Rail rail, int railIndex) {
      this.offerIndex = offerIndex;
      this.challenge = challenge;
      this.rail = rail;
      this.railIndex = railIndex;
    }

    long totalUsdMicros() {
      return usdMicros + feeUsdMicros;
    }

    String label() {
      String base =
          "#"
              + (offerIndex + 1)
              + " "
              + challenge.method()
              + "/"
              + challenge.intent()
              + " (challenge "
              + shorten(challenge.id())
              + ")";
      return rail == null ? base : base + " via " + rail.method();
    }

    /** E.g. {@code 0.02 usd in test:usd + 0.01 usd fee = 0.03 usd}. */
    String cost() {
      String base = Usd.format(usdMicros) + " usd in " + amount.asset().key();
      if (feeUsdMicros == 0) {
        return base;
      }
      return base
          + " + "
          + Usd.format(feeUsdMicros)
          + " usd fee = "
          + Usd.format(totalUsdMicros())
          + " usd";
    }
  }

  private static String shorten(String text) {
    return text.length() <= MAX_ID_CHARS ? text : text.substring(0, MAX_ID_CHARS) + "…";
  }

  private static String capped(StringBuilder out) {
    return out.length() <= MAX_RATIONALE_CHARS
        ? out.toString()
        : out.substring(0, MAX_RATIONALE_CHARS) + "…";
  }

  /**
   * The facts a policy judges when {@code amount} is paid on {@code challenge} for {@code host}.
   */
  static Spend spend(String host, Challenge challenge, Money amount, long usdMicros) {
    return new Spend(
        host,
        challenge.realm(),
        challenge.request().recipient().orElse(null),
        challenge.method(),
        challenge.intent(),
        amount.asset(),
        amount.units(),
        usdMicros);
  }

  /** Everything the evaluation needs from the wallet. */
  record Inputs(
      List<Rail> rails,
      Pricing pricing,
      List<String> preferences,
      String host,
      Instant now,
      List<Scoped> policies) {}

  /** A policy with the label its rules are named under. */
  record Scoped(String label, dev.mpp.wallet.policy.Policy policy) {}

  private final List<Option> options;
  private final List<Option> allowed;
  private final int preferenceCount;

  private Selection(List<Option> options, int preferenceCount) {
    this.options = options;
    this.preferenceCount = preferenceCount;
    List<Option> allowed = new ArrayList<>();
    for (Option option : options) {
      if (option.verdict == Verdict.ALLOWED) {
        allowed.add(option);
      }
    }
    allowed.sort(ORDER);
    this.allowed = List.copyOf(allowed);
  }

  /** Every evaluated option, allowed or not, in offer then rail order. */
  List<Option> options() {
    return options;
  }

  static Selection evaluate(List<Challenge> offers, Inputs in) {
    List<Option> options = new ArrayList<>();
    for (int i = 0; i < offers.size(); i++) {
      Challenge challenge = offers.get(i);
      boolean anyRail = false;
      for (int r = 0; r < in.rails().size(); r++) {
        Rail rail = in.rails().get(r);
        if (rail.method().equals(challenge.method())
            && rail.intents().contains(challenge.intent())) {
          anyRail = true;
          Option option = new Option(i, challenge, rail, r);
          evaluate(option, in);
          options.add(option);
        }
      }
      if (!anyRail) {
        Option option = new Option(i, challenge, null, -1);
        option.verdict = Verdict.UNSUPPORTED;
        option.reason = "no rail for " + challenge.method() + "/" + challenge.intent();
        options.add(option);
      }
    }
    return new Selection(options, in.preferences().size());
  }

  private static void evaluate(Option option, Inputs in) {
    Quote quote;
    try {
      quote = option.rail.quote(option.challenge);
    } catch (RuntimeException e) {
      log.warn(
          "rail {} failed to quote challenge {}: {}",
          option.rail.method(),
          option.challenge.id(),
          e.getClass().getName());
      quote = Quote.unsupported("quote failed: " + e.getClass().getSimpleName());
    }
    if (quote instanceof Quote.Unsupported unsupported) {
      option.verdict = Verdict.UNSUPPORTED;
      option.reason = unsupported.reason();
      return;
    }
    if (!(quote instanceof Quote.Payable payable)) {
      option.verdict = Verdict.UNSUPPORTED;
      option.reason = "rail gave no quote";
      return;
    }
    option.amount = payable.amount();
    option.fee = payable.fee();
    Optional<BigInteger> asked = option.challenge.request().amount();
    if (asked.isPresent() && payable.amount().units().compareTo(asked.get()) < 0) {
      // A quote below the request would let the ledger count less than the server will take.
      option.verdict = Verdict.INVALID;
      option.reason = "rail quoted less than the request's amount " + asked.get();
      return;
    }
    Pricing.Price price = in.pricing().price(payable.amount());
    Pricing.Price fee =
        payable.fee().units().signum() == 0
            ? Pricing.Price.of(0)
            : in.pricing().price(payable.fee());
    for (Pricing.Price p : new Pricing.Price[] {price, fee}) {
      if (p.invalid() != null) {
        option.verdict = Verdict.INVALID;
        option.reason = p.invalid();
        return;
      }
      if (p.unpriced() != null) {
        option.verdict = Verdict.UNPRICED;
        option.reason = p == fee ? "fee: " + p.unpriced() : p.unpriced();
        return;
      }
    }
    option.usdMicros = price.usdMicros();
    option.feeUsdMicros = fee.usdMicros();
    option.spend = spend(in.host(), option.challenge, payable.amount(), option.usdMicros);
    for (Scoped scoped : in.policies()) {
      Optional<PaymentDeniedException> denial =
          scoped.policy().check(option.spend, scoped.label(), in.now());
      if (denial.isPresent()) {
        option.verdict = Verdict.DENIED;
        option.denial = denial.get();
        option.reason = "denied by " + denial.get().rule();
        return;
      }
    }
    int rank = in.preferences().indexOf(option.challenge.method().toLowerCase(Locale.ROOT));
    option.preference = rank < 0 ? in.preferences().size() : rank;
    option.verdict = Verdict.ALLOWED;
  }

  /** The allowed options, best first. */
  List<Option> allowed() {
    return allowed;
  }

  /** Options denied by a policy rule, best ranked first (cheapest, then server order). */
  List<Option> denied() {
    List<Option> denied = new ArrayList<>();
    for (Option option : options) {
      if (option.verdict == Verdict.DENIED) {
        denied.add(option);
      }
    }
    denied.sort(Comparator.comparingLong(Option::totalUsdMicros));
    return denied;
  }

  /**
   * Why {@code chosen} was picked and why every other option was not.
   *
   * @param chosen the option being paid
   * @param skipped allowed options ranked above {@code chosen} whose reservation was denied, with
   *     their denials' rules
   */
  String rationale(Option chosen, List<Option> skipped) {
    StringBuilder out = new StringBuilder("chose ").append(chosen.label()).append(": ");
    out.append(chosen.cost());
    Option first = allowed.get(0);
    if (chosen == first) {
      boolean preferred = chosen.preference < preferenceCount;
      out.append(preferred ? ", preferred method" : "").append(", cheapest allowed");
    } else {
      out.append(", best allowed after reservation denials");
    }
    out.append(" of ").append(allowed.size()).append(allowed.size() == 1 ? " option" : " options");
    int described = 0;
    for (Option option : options) {
      if (option == chosen) {
        continue;
      }
      if (described == MAX_DESCRIBED) {
        out.append("; and ").append(options.size() - 1 - described).append(" more");
        break;
      }
      out.append("; ").append(option.label()).append(": ").append(why(option, chosen, skipped));
      described++;
    }
    return capped(out);
  }

  /** {@code denial} with {@code why} (see {@link #failure}) appended to its message. */
  static PaymentDeniedException explained(PaymentDeniedException denial, String why) {
    return new PaymentDeniedException(
        denial.code(),
        denial.rule(),
        denial.amount().orElse(null),
        denial.limit().orElse(null),
        denial.remaining().orElse(null),
        denial.unit(),
        denial.getMessage() + " [offers: " + why + "]");
  }

  /**
   * Why nothing can be paid, for the exception message when every option failed.
   *
   * @param skipped allowed options whose reservation was denied
   */
  String failure(List<Option> skipped) {
    StringBuilder out = new StringBuilder();
    int described = 0;
    for (Option option : options) {
      if (described == MAX_DESCRIBED) {
        out.append("; and ").append(options.size() - described).append(" more");
        break;
      }
      if (!out.isEmpty()) {
        out.append("; ");
      }
      out.append(option.label()).append(": ").append(why(option, null, skipped));
      described++;
    }
    return out.isEmpty() ? "no offers" : capped(out);
  }

  private static String why(Option option, Option chosen, List<Option> skipped) {
    return switch (option.verdict) {
      case UNSUPPORTED -> "unsupported (" + option.reason + ")";
      case UNPRICED -> "unpriced (" + option.reason + ")";
      case INVALID -> "invalid (" + option.reason + ")";
      case DENIED -> option.reason + " (" + option.cost() + ")";
      case ALLOWED -> {
        if (skipped.contains(option)) {
          yield option.reason + " at reservation (" + option.cost() + ")";
        }
        if (chosen == null) {
          yield "allowed (" + option.cost() + ")";
        }
        if (option.preference > chosen.preference) {
          yield "method not preferred (" + option.cost() + ")";
        }
        if (option.totalUsdMicros() > chosen.totalUsdMicros()) {
          yield "costlier (" + option.cost() + ")";
        }
        yield "same cost, later in server order (" + option.cost() + ")";
      }
    };
  }
}
