package dev.mpp.rail.tempo.session;

import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.SetOnce;
import dev.mpp.client.StreamEvent;
import dev.mpp.client.wire.Challenge;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.signer.Signer;
import dev.mpp.rail.tempo.TempoFees;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.rail.Funding;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.SessionRail;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pays Tempo {@code session} challenges (both protocol generations) from payment channels: one
 * channel per {@link ChannelKey} (origin and realm, payee, token, escrow, agent), opened on the
 * first request, reused by every later request and across restarts (its state lives in a {@link
 * ChannelStore}), topped up when the next voucher would exceed the deposit, and closed on demand.
 *
 * <p>A paid request costs one signature: the voucher for the channel's highest signed amount plus
 * the price. That amount is persisted before the voucher is signed and handed out, under a
 * compare-and-set, so concurrent requests (also from other processes sharing the store) always get
 * distinct, increasing amounts. Once the server has accepted a voucher bound to a challenge, later
 * requests to the same resource send their voucher up front with that challenge while it is valid
 * (one round trip), and fall back to the 402 probe for good if the server refuses that.
 *
 * <p>Ledger: the deposit and each top-up are holds reserved under every cap of the agent and its
 * fleet; each voucher captures its increment from them, and the server's acceptance marks it PAID.
 * Closing settles the books against what the payee received and releases the rest of the holds. The
 * rail records in the ledger it is built with, which must be the wallet's.
 *
 * <p>Thread-safe: a lock per channel serializes this process's decisions about the channel, and no
 * network I/O happens while it is held (opens, top-ups and closes are announced to waiting requests
 * instead). Register it with the wallet like any rail; {@code toString()} shows no secrets.
 */
public final class TempoSessionRail implements SessionRail, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TempoSessionRail.class);

  static final String METHOD = "tempo";
  static final String INTENT = "session";
  private static final Duration OPEN_WAIT = Duration.ofSeconds(90);

  private final TempoSessionConfig config;
  private final EvmAddress account;
  private final Channels channels;
  private final ChannelLedger books;
  private final SessionSigner signer;
  private final InFlight opening = new InFlight("open");
  private final InFlight closing = new InFlight("close");
  private final UpFrontRoutes routes;
  private final ChannelCloser closer;
  private final VoucherOutcomes outcomes;
  private final Vouchers vouchers;
  private final ChannelOpener opener;
  private final OpeningResolver resolver;
  private final TopUp topUp;
  private final InStreamVoucherPayer inStream;

  private TempoSessionRail(Builder b) {
    this.config = b.config;
    JsonRpcClient rpc = b.rpc;
    this.signer = new SessionSigner(config, b.signer, rpc, b.clock);
    this.account = signer.account();
    this.channels = new Channels(b.store, b.clock);
    this.books = new ChannelLedger(b.ledger, b.clock);
    SessionServer server = new SessionServer(b.transport, config);
    EscrowReader escrow = new EscrowReader(rpc);
    DepositSizing sizing = new DepositSizing(config);
    this.routes = new UpFrontRoutes(config, b.store, b.clock);
    this.closer = new ChannelCloser(channels, books, signer, server, escrow, opening, closing);
    this.outcomes = new VoucherOutcomes(channels, books, opening, routes, closer);
    this.vouchers = new Vouchers(channels, books, signer, outcomes);
    this.opener = new ChannelOpener(signer, sizing, channels, books, opening, outcomes);
    this.resolver = new OpeningResolver(config, escrow, channels, closer);
    this.topUp = new TopUp(signer, server, channels, books, sizing, escrow);
    this.inStream =
        new InStreamVoucherPayer(config, channels, books, signer, server, routes, topUp, vouchers);
  }

  /**
   * Starts a rail paying under {@code config} from {@code signer}'s account, keeping channels in
   * {@code store}. The wallet's ledger ({@link Builder#ledger}) is required.
   */
  public static Builder builder(TempoSessionConfig config, Signer signer, ChannelStore store) {
    return new Builder(config, signer, store);
  }

  /** The paying account (payer and voucher signer of every channel). */
  public EvmAddress account() {
    return account;
  }

  /** The store channels are kept in. */
  public ChannelStore store() {
    return channels.store();
  }

  /** {@code session} only: charges are {@link dev.mpp.rail.tempo.TempoChargeRail}'s. */
  @Override
  public List<String> intents() {
    return List.of(INTENT);
  }

  @Override
  public String method() {
    return METHOD;
  }

  /**
   * The price of one unit with no fee: a voucher moves no money on chain. (An open or top-up costs
   * a transaction fee once; it is paid in the channel's token and bounded by {@link
   * TempoSessionConfig#maxTotalFee()}.)
   */
  @Override
  public Quote quote(Challenge challenge) {
    Objects.requireNonNull(challenge, "challenge");
    try {
      SessionRequest request = SessionRequest.parse(challenge, config);
      Asset asset = ChannelLedger.asset(request);
      return Quote.payable(new Money(request.amount(), asset), Money.zero(asset));
    } catch (MppException e) {
      return Quote.unsupported(e.getMessage());
    }
  }

  /**
   * Pays {@code challenge} from the channel of its key: re-sends the voucher the server refused for
   * the same request, opens the channel, waits for this process's open, top-up or close of it, tops
   * it up, or reserves the next amount and signs a voucher for it.
   */
  @Override
  public PaymentAuthorization authorize(
      Challenge challenge, PaymentContext context, Funding funding) {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(funding, "funding");
    books.requireSameBooks(funding);
    SessionRequest request = SessionRequest.parse(challenge, config);
    signer.validBefore(challenge); // refuses an expired challenge before anything else
    ChannelKey key = ChannelKey.of(request, challenge, context, funding.agent());
    boolean upfrontAttempt = routes.isUpfront(challenge, context);
    long deadline = System.nanoTime() + OPEN_WAIT.toNanos();
    ReentrantLock lock = channels.lock(key);
    TempoFees openFees = null;
    while (true) {
      Channels.Reservation reservation = null;
      Runnable unlocked = null; // work to do without the lock before looking again
      boolean planOpenFees = false;
      lock.lock();
      try {
        Optional<SessionAuthorization> refused = outcomes.takeRefused(context);
        if (refused.isPresent() && refused.get().key().equals(key)) {
          Optional<ChannelState> current = channels.store().find(refused.get().channelId());
          if (current.isPresent() && current.get().status().active()) {
            log.debug("re-sending voucher {} with challenge {}", refused.get(), challenge.id());
            return refused.get().rebind(challenge, upfrontAttempt);
          }
        }
        Optional<ChannelState> active = channels.store().active(key);
        if (active.isEmpty()) {
          if (openFees != null) {
            Optional<SessionAuthorization> opened =
                opener.open(request, challenge, context, funding, key, openFees);
            if (opened.isPresent()) {
              return opened.get();
            }
            continue; // another process opened one meanwhile
          }
          planOpenFees = true; // asks the node: without the lock, then look again
        } else {
          ChannelState channel = active.get();
          switch (channel.status()) {
            case OPENING -> {
              CompletableFuture<Void> open = opening.get(key);
              unlocked =
                  open != null
                      ? () -> opening.await(open, deadline, key)
                      : () -> resolver.resolve(channel, deadline);
            }
            case CLOSING -> {
              CompletableFuture<Void> close = closing.get(key);
              if (close == null) {
                throw new PaymentFailedException(
                    ErrorCode.RAIL_FAILED,
                    "tempo session: channel " + channel.channelId() + " is being closed; retry");
              }
              unlocked = () -> closing.await(close, deadline, key);
            }
            default -> {
              TopUp.Need need =
                  new TopUp.Need(channel, request.amount(), request, challenge, context, funding);
              if (need.exists()) {
                unlocked = topUp.claim(need, deadline);
              } else {
                reservation = channels.reserve(channel, need.price(), context.url().toString());
                if (reservation == null) {
                  continue; // needs a top-up after all (another process signed meanwhile)
                }
              }
            }
          }
        }
      } finally {
        lock.unlock();
      }
      if (planOpenFees) {
        openFees = opener.fees();
        continue;
      }
      if (unlocked != null) {
        unlocked.run();
        continue;
      }
      return vouchers.issue(reservation, challenge, context, funding, upfrontAttempt);
    }
  }

  /**
   * Pays a {@code payment-need-voucher} event of a stream this rail paid for: signs a voucher for
   * the required amount (topping the channel up first when the deposit is short) and POSTs it to
   * the stream's URL, as the session spec asks; returns once the server accepted it, so the stream
   * resumes. Other events ({@code payment-receipt}) need nothing: every accepted voucher already
   * updated the channel.
   */
  @Override
  public boolean payInStream(PaymentContext context, StreamEvent event, Funding funding) {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(funding, "funding");
    return inStream.pay(context, event, funding, System.nanoTime() + OPEN_WAIT.toNanos());
  }

  @Override
  public Optional<Challenge> upfrontChallenge(PaymentContext context) {
    return routes.challenge(context);
  }

  /** Whether the server accepts up-front vouchers on {@code context}'s resource, if measured. */
  public Optional<Boolean> acceptsUpfrontVouchers(PaymentContext context) {
    return routes.accepts(context);
  }

  /**
   * Closes a channel cooperatively: signs a final voucher for what the server accepted, posts it to
   * the channel's last URL with a fresh challenge, and settles the ledger against what the payee
   * received (read back from the escrow when a JSON-RPC endpoint is configured).
   *
   * @throws PaymentFailedException when the server refuses or cannot be reached (the channel stays
   *     open)
   * @throws IllegalArgumentException when the channel is unknown or not open
   */
  public CloseResult close(Bytes32 channelId) {
    return closer.close(channelId);
  }

  /** Closes every active channel of {@code agent} (every agent when null); reports each. */
  public List<CloseResult> closeAll(String agent) {
    return closer.closeAll(agent);
  }

  /** Closes open channels if {@link TempoSessionConfig#closeOnShutdown()}; never throws. */
  @Override
  public void close() {
    if (config.closeOnShutdown()) {
      try {
        closeAll(null);
      } catch (RuntimeException e) {
        log.warn("closing channels on shutdown failed: {}", e.toString());
      }
    }
  }

  /** Shows the chain and the paying address only. */
  @Override
  public String toString() {
    return "TempoSessionRail[chainId=" + config.chainId() + ", account=" + account + "]";
  }

  /** Configures a {@link TempoSessionRail}. Each setter may be called once. */
  public static final class Builder {
    private final TempoSessionConfig config;
    private final Signer signer;
    private final ChannelStore store;
    private JsonRpcClient rpc;
    private SessionTransport transport;
    private LedgerStore ledger;
    private Clock clock;

    private Builder(TempoSessionConfig config, Signer signer, ChannelStore store) {
      this.config = Objects.requireNonNull(config, "config");
      this.signer = Objects.requireNonNull(signer, "signer");
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * The chain's JSON-RPC endpoint: gas prices, and reading channels back from the escrow (to
     * confirm closes and to recover channels left opening). Recommended.
     */
    public Builder rpc(JsonRpcClient rpc) {
      this.rpc = SetOnce.firstValue(this.rpc, Objects.requireNonNull(rpc, "rpc"), "rpc");
      return this;
    }

    /** How top-up and close requests are sent (default: a JDK HttpClient, 30 s timeout). */
    public Builder transport(SessionTransport transport) {
      this.transport =
          SetOnce.firstValue(
              this.transport, Objects.requireNonNull(transport, "transport"), "transport");
      return this;
    }

    /**
     * The wallet's ledger (required): deposits are held, vouchers captured and channels settled in
     * it, also outside a payment (closing at shutdown, from the CLI). A payment from a wallet with
     * another ledger is refused.
     */
    public Builder ledger(LedgerStore ledger) {
      this.ledger =
          SetOnce.firstValue(this.ledger, Objects.requireNonNull(ledger, "ledger"), "ledger");
      return this;
    }

    /** The clock (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = SetOnce.firstValue(this.clock, Objects.requireNonNull(clock, "clock"), "clock");
      return this;
    }

    /**
     * Builds the rail.
     *
     * @throws ConfigurationException when no ledger was set, or the signer's address is invalid
     */
    public TempoSessionRail build() {
      if (ledger == null) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION,
            "tempo session: a ledger is required (the wallet's: .ledger(ledger))");
      }
      if (transport == null) {
        transport = SessionTransport.jdk(Duration.ofSeconds(30));
      }
      if (clock == null) {
        clock = Clock.systemUTC();
      }
      return new TempoSessionRail(this);
    }
  }
}
