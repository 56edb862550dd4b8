package dev.mpp.testkit.stack;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * The routes of the reference server ({@code examples/mpp-server/server.mjs}) and what each one
 * charges. {@code LocalStackTest} checks this table against the server's {@code /routes} listing.
 */
public enum ServerRoute {
  /** Answers 200 without payment. */
  FREE("/free"),
  /** Tempo charge of 0.01 pathUSD; pull (signed 0x76 tx) and push (tx hash) both accepted. */
  TEMPO_CHARGE("/tempo/charge", Offer.tempo(LocalChain.PATH_USD, 10_000)),
  /**
   * Fee-sponsored Tempo charge of 0.02 pathUSD: {@code methodDetails.feePayer} is true and {@code
   * supportedModes} is {@code ["pull"]}; the server co-signs the 0x78 envelope as fee payer.
   */
  TEMPO_SPONSORED("/tempo/sponsored", Offer.tempo(LocalChain.PATH_USD, 20_000)),
  /** Zero-amount Tempo charge, paid with an EIP-712 proof credential. */
  TEMPO_ZERO("/tempo/zero", Offer.tempo(LocalChain.PATH_USD, 0)),
  /**
   * Tempo charge of 0.005 pathUSD whose challenges expire {@link #EXPIRING_SECONDS} seconds after
   * issue, for tests of expired credentials.
   */
  TEMPO_EXPIRING("/tempo/expiring", Offer.tempo(LocalChain.PATH_USD, 5_000)),
  /** Three offers in one 402, in this order: tempo pathUSD, tempo AlphaUSD, test usd. */
  MULTI(
      "/multi",
      Offer.tempo(LocalChain.PATH_USD, 30_000),
      Offer.tempo(LocalChain.ALPHA_USD, 25_000),
      Offer.test(2)),
  /** Custom method {@code test}: credential payload {@code {"mac": hex HMAC}}; no chain. */
  TEST_CHARGE("/test/charge", Offer.test(1)),
  /**
   * EVM charge of 0.05 {@link LocalMppServer#EVM_TOKEN} (6 decimals): an EIP-3009 {@code
   * transferWithAuthorization} signature, settled on chain by {@link LocalMppServer#FEE_PAYER}.
   */
  EVM_CHARGE("/evm/charge", new Offer("evm", LocalMppServer.EVM_TOKEN, BigInteger.valueOf(50_000))),
  /**
   * Stripe charge of 0.50 usd (in cents; Stripe's minimum) with a Shared Payment Token: {@code
   * networkId} {@value LocalMppServer#STRIPE_NETWORK_ID}, payment method type {@code card}. The
   * server's Stripe API is an in-process fake that accepts test-mode tokens ({@code spt_test_…})
   * once each; {@code GET /stripe/payment_intents} lists what it charged.
   */
  STRIPE_CHARGE("/stripe/charge", new Offer("stripe", "usd", BigInteger.valueOf(50))),
  /**
   * Tempo session, protocol v1, served by npm {@code mppx@0.6.31}: 0.001 pathUSD per content
   * request paid by cumulative voucher, suggested deposit 1 pathUSD, escrow {@link
   * LocalMppServer#escrow()}. Close and top-up answer 204; the close receipt carries the close
   * transaction hash.
   */
  TEMPO_SESSION("/tempo/session", Offer.tempo(LocalChain.PATH_USD, 1_000)),
  /**
   * The same session (same channel store and price, 0.001 pathUSD per unit) as a Server-Sent Events
   * stream of {@value #SESSION_STREAM_EVENTS} events, one unit each: the request's credential pays
   * the first; before each further one the server emits {@code payment-need-voucher} and pauses
   * until a voucher credential is POSTed to the same URL; a {@code payment-receipt} event ends the
   * stream.
   */
  TEMPO_SESSION_STREAM("/tempo/session/stream", Offer.tempo(LocalChain.PATH_USD, 1_000));

  /** How many events {@link #TEMPO_SESSION_STREAM} sends. */
  public static final int SESSION_STREAM_EVENTS = 10;

  /** How long {@link #TEMPO_EXPIRING}'s challenges live. */
  public static final int EXPIRING_SECONDS = 4;

  private final String path;
  private final List<Offer> offers;

  ServerRoute(String path, Offer... offers) {
    this.path = path;
    this.offers = List.of(offers);
  }

  /** The request path, e.g. {@code /tempo/charge}. */
  public String path() {
    return path;
  }

  /** The offers in the route's 402, in header order; empty for {@link #FREE}. */
  public List<Offer> offers() {
    return offers;
  }

  /** The single offer of a one-offer route. */
  public Offer offer() {
    if (offers.size() != 1) {
      throw new IllegalStateException(this + " has " + offers.size() + " offers");
    }
    return offers.get(0);
  }

  /**
   * One payment offer of a route.
   *
   * @param method payment method name ({@code tempo}, {@code test}, {@code evm} or {@code stripe})
   * @param currency token address for tempo and evm, {@code usd} for test and stripe
   * @param amount price in base units (6 decimals for tokens, cents for usd)
   */
  public record Offer(String method, String currency, BigInteger amount) {

    /** Validates the fields. */
    public Offer {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(amount, "amount");
      if (amount.signum() < 0) {
        throw new IllegalArgumentException("amount must be >= 0: " + amount);
      }
    }

    static Offer tempo(String token, long amount) {
      return new Offer("tempo", token, BigInteger.valueOf(amount));
    }

    static Offer test(long cents) {
      return new Offer("test", "usd", BigInteger.valueOf(cents));
    }
  }
}
