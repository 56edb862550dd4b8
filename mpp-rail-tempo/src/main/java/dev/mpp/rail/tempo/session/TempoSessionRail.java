package dev.mpp.rail.tempo.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ConfigurationException;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.MppException;
import dev.mpp.client.PaymentAuthorization;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentDeniedException;
import dev.mpp.client.PaymentFailedException;
import dev.mpp.client.PaymentOutcomeUnknownException;
import dev.mpp.client.PaymentRecord;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.PaymentState;
import dev.mpp.client.ProtocolException;
import dev.mpp.client.StreamEvent;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.Challenges;
import dev.mpp.client.wire.Credential;
import dev.mpp.client.wire.Problem;
import dev.mpp.client.wire.Receipt;
import dev.mpp.evm.chain.DidPkh;
import dev.mpp.evm.chain.EvmAddress;
import dev.mpp.evm.chain.JsonRpcClient;
import dev.mpp.evm.chain.JsonRpcException;
import dev.mpp.evm.signer.KeystoreSigner;
import dev.mpp.evm.signer.PrivateKeySigner;
import dev.mpp.evm.signer.Signature;
import dev.mpp.evm.signer.Signer;
import dev.mpp.evm.signer.SignerException;
import dev.mpp.rail.tempo.TempoCall;
import dev.mpp.rail.tempo.TempoFees;
import dev.mpp.rail.tempo.TempoTransaction;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.ledger.LedgerStore;
import dev.mpp.wallet.ledger.Limit;
import dev.mpp.wallet.ledger.Usage;
import dev.mpp.wallet.rail.Funding;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.SessionRail;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * Closing settles the books against what the payee received and releases the rest of the holds.
 *
 * <p>Thread-safe. Register it with the wallet like any rail; {@code toString()} shows no secrets.
 */
public final class TempoSessionRail implements SessionRail, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TempoSessionRail.class);

  static final String METHOD = "tempo";
  static final String INTENT = "session";
  private static final Duration OPEN_WAIT = Duration.ofSeconds(90);
  private static final int MAX_UPFRONT_ROUTES = 10_000;

  private final TempoSessionConfig config;
  private final Signer signer;
  private final EvmAddress account;
  private final String source;
  private final ChannelStore store;
  private final JsonRpcClient rpc;
  private final SessionTransport transport;
  private final Clock clock;
  private final boolean verifySignatures;
  private final SecureRandom random = new SecureRandom();
  private volatile LedgerStore ledger;

  private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, CompletableFuture<Void>> opening =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Upfront> upfront = new ConcurrentHashMap<>();
  private final Map<PaymentContext, SessionAuthorization> pending =
      Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * A challenge a resource's voucher may be sent up front with.
   *
   * @param challenge the challenge the server last accepted a voucher for
   * @param key the channel
   * @param accepts whether the server accepts up-front vouchers: true, false, or null (unknown)
   */
  record Upfront(Challenge challenge, ChannelKey key, Boolean accepts) {}

  private TempoSessionRail(Builder b) {
    this.config = b.config;
    this.signer = b.signer;
    this.account =
        EvmAddress.tryParse(b.signer.address())
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        ErrorCode.INVALID_CONFIGURATION, "signer address is not a valid address"));
    this.source = DidPkh.eip155(config.chainId(), account);
    this.store = b.store;
    this.rpc = b.rpc;
    this.transport = b.transport;
    this.clock = b.clock;
    this.ledger = b.ledger;
    this.verifySignatures =
        !(b.signer instanceof PrivateKeySigner || b.signer instanceof KeystoreSigner);
  }

  /**
   * Starts a rail paying under {@code config} from {@code signer}'s account, keeping channels in
   * {@code store}.
   */
  public static Builder builder(TempoSessionConfig config, Signer signer, ChannelStore store) {
    return new Builder(config, signer, store);
  }

  @Override
  public String method() {
    return METHOD;
  }

  @Override
  public List<String> intents() {
    return List.of(INTENT);
  }

  /** The paying account (payer and voucher signer of every channel). */
  public EvmAddress account() {
    return account;
  }

  /** The store channels are kept in. */
  public ChannelStore store() {
    return store;
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

  // ---------------------------------------------------------------------------------------------
  // Paying
  // ---------------------------------------------------------------------------------------------

  @Override
  public PaymentAuthorization authorize(
      Challenge challenge, PaymentContext context, Funding funding) {
    Objects.requireNonNull(challenge, "challenge");
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(funding, "funding");
    if (ledger == null) {
      ledger = funding.ledger();
    }
    SessionRequest request = SessionRequest.parse(challenge, config);
    validBefore(challenge); // refuses an expired challenge before anything else
    ChannelKey key = key(request, challenge, context, funding.agent());
    boolean upfrontAttempt = isUpfront(challenge, context);
    long deadline = System.nanoTime() + OPEN_WAIT.toNanos();
    while (true) {
      ReentrantLock lock = locks.computeIfAbsent(key.id(), k -> new ReentrantLock());
      CompletableFuture<Void> wait = null;
      Reservation reservation = null;
      lock.lock();
      try {
        SessionAuthorization previous = pending.remove(context);
        if (previous != null && previous.key().equals(key)) {
          Optional<ChannelState> current = store.find(previous.channelId());
          if (current.isPresent() && current.get().status().active()) {
            log.debug("re-sending voucher {} with challenge {}", previous, challenge.id());
            return previous.rebind(challenge, upfrontAttempt);
          }
        }
        Optional<ChannelState> active = store.active(key);
        if (active.isEmpty()) {
          Optional<SessionAuthorization> opened = open(request, challenge, context, funding, key);
          if (opened.isPresent()) {
            return opened.get();
          }
          continue; // another process opened one meanwhile
        }
        ChannelState channel = active.get();
        switch (channel.status()) {
          case OPENING -> {
            wait = opening.get(key.id());
            if (wait == null) {
              resolveOpening(channel, deadline);
              continue;
            }
          }
          case CLOSING ->
              throw new PaymentFailedException(
                  ErrorCode.RAIL_FAILED,
                  "tempo session: channel " + channel.channelId() + " is being closed; retry");
          default -> {
            BigInteger price = request.amount();
            if (channel.highestSigned().add(price).compareTo(channel.deposit()) > 0) {
              channel = topUp(channel, price, request, challenge, context, funding);
            }
            reservation = reserve(channel, price, context);
            if (reservation == null) {
              continue; // needs a top-up after all (another process signed meanwhile)
            }
          }
        }
      } finally {
        lock.unlock();
      }
      if (wait != null) {
        awaitOpening(wait, deadline, key);
        continue;
      }
      return voucher(
          reservation, request.amount(), challenge, context, funding, key, upfrontAttempt);
    }
  }

  private ChannelKey key(
      SessionRequest request, Challenge challenge, PaymentContext context, String agent) {
    return new ChannelKey(
        agent,
        context.origin(),
        challenge.realm(),
        request.chainId(),
        request.escrow(),
        request.recipient(),
        request.currency(),
        request.protocol());
  }

  /**
   * The reserved next amount of a channel.
   *
   * @param channel the channel as stored with the new highest signed amount
   * @param cumulative the voucher amount
   */
  private record Reservation(ChannelState channel, BigInteger cumulative) {}

  /** Persists the next amount: the channel's highest signed plus {@code price}. */
  private Reservation reserve(ChannelState channel, BigInteger price, PaymentContext context) {
    ChannelState current = channel;
    for (int attempt = 0; attempt < 100; attempt++) {
      BigInteger next = current.highestSigned().add(price);
      if (next.compareTo(current.deposit()) > 0) {
        return null;
      }
      ChannelState updated =
          current.next(now()).highestSigned(next).url(context.url().toString()).build();
      if (store.update(current, updated)) {
        return new Reservation(updated, next);
      }
      current =
          store
              .find(channel.channelId())
              .filter(state -> state.status() == ChannelStatus.OPEN)
              .orElseThrow(
                  () ->
                      new PaymentFailedException(
                          ErrorCode.RAIL_FAILED,
                          "tempo session: channel " + channel.channelId() + " closed meanwhile"));
    }
    throw new PaymentFailedException(
        ErrorCode.RAIL_FAILED, "tempo session: channel state keeps changing; retry");
  }

  /** Gives a reserved amount back if nothing was signed and nobody signed after it. */
  private void unreserve(Reservation reservation, BigInteger price) {
    try {
      ChannelState stored = store.find(reservation.channel().channelId()).orElse(null);
      if (stored != null && stored.highestSigned().equals(reservation.cumulative())) {
        store.update(
            stored,
            stored.next(now()).highestSigned(reservation.cumulative().subtract(price)).build());
      }
    } catch (RuntimeException e) {
      log.warn("could not give back an unsigned voucher amount: {}", e.toString());
    }
  }

  private SessionAuthorization voucher(
      Reservation reservation,
      BigInteger price,
      Challenge challenge,
      PaymentContext context,
      Funding funding,
      ChannelKey key,
      boolean upfrontAttempt) {
    ChannelState channel = reservation.channel();
    PaymentRecord capture;
    try {
      capture =
          ChannelLedger.capture(
              funding,
              context,
              challenge,
              channel,
              price,
              "voucher up to " + reservation.cumulative());
    } catch (RuntimeException e) {
      unreserve(reservation, price);
      throw ledgerFailure(e);
    }
    Voucher voucher;
    try {
      voucher = signVoucher(channel, reservation.cumulative());
    } catch (RuntimeException e) {
      release(capture, "signing failed");
      unreserve(reservation, price);
      throw e;
    }
    ObjectNode payload = SessionPayloads.voucher(channel.descriptor(), voucher);
    return new SessionAuthorization(
        this,
        challenge,
        header(challenge, payload),
        payload,
        capture,
        key,
        channel.channelId(),
        reservation.cumulative(),
        false,
        upfrontAttempt,
        context);
  }

  /**
   * Opens a channel for {@code key}: sizes and holds the deposit, persists the channel, signs the
   * open transaction and the first voucher.
   *
   * @return empty when another process opened a channel for the key first
   */
  private Optional<SessionAuthorization> open(
      SessionRequest request,
      Challenge challenge,
      PaymentContext context,
      Funding funding,
      ChannelKey key) {
    BigInteger price = request.amount();
    BigInteger deposit = depositFor(request, funding, BigInteger.ZERO);
    if (deposit.compareTo(price) < 0) {
      throw denied(
          "session deposit",
          "the policy and budget allow a deposit of "
              + deposit
              + ", less than the price of one "
              + Objects.requireNonNullElse(request.unitType(), "unit")
              + " ("
              + price
              + ")",
          deposit,
          price);
    }
    Bytes32 salt = Bytes32.random(random);
    List<TempoCall> calls = ChannelTransactions.openCalls(request, deposit, salt, account);
    TempoFees fees = fees(config.openGas());
    TempoTransaction unsigned =
        ChannelTransactions.build(
            config.chainId(), calls, fees, validBefore(challenge), feeToken(request));
    ChannelDescriptor descriptor =
        request.protocol() == SessionProtocol.V1
            ? ChannelDescriptor.v1(account, request.recipient(), request.currency(), salt, account)
            : ChannelDescriptor.v2(
                account,
                request.recipient(),
                request.operator(),
                request.currency(),
                salt,
                account,
                ChannelTransactions.expiringNonceHash(unsigned, account));
    Bytes32 channelId = descriptor.channelId(request.escrow(), request.chainId());
    PaymentRecord hold =
        ChannelLedger.hold(
            funding,
            context,
            challenge,
            request,
            deposit,
            feeUnits(request, fees),
            channelId,
            "session deposit (hold)");
    Instant now = now();
    ChannelState state =
        new ChannelState(
            key,
            channelId,
            descriptor,
            deposit,
            price,
            BigInteger.ZERO,
            BigInteger.ZERO,
            List.of(hold.id()),
            ChannelStatus.OPENING,
            context.url().toString(),
            null,
            null,
            null,
            now,
            now,
            0);
    boolean inserted;
    try {
      inserted = store.insert(state);
    } catch (RuntimeException e) {
      release(hold, "channel store failed");
      throw ledgerFailure(e);
    }
    if (!inserted) {
      release(hold, "another process opened a channel for the same key");
      return Optional.empty();
    }
    CompletableFuture<Void> opened = new CompletableFuture<>();
    opening.put(key.id(), opened);
    try {
      PaymentRecord capture =
          ChannelLedger.capture(funding, context, challenge, state, price, "open voucher " + price);
      TempoTransaction signed = unsigned.withSignature(sign(unsigned.signingHash()));
      Voucher voucher = signVoucher(state, price);
      ObjectNode payload =
          SessionPayloads.open(descriptor, channelId, signed.encodeSigned(), voucher);
      log.debug(
          "opening {} channel {} for {} with deposit {} (price {})",
          request.protocol(),
          channelId,
          key.origin(),
          deposit,
          price);
      return Optional.of(
          new SessionAuthorization(
              this,
              challenge,
              header(challenge, payload),
              payload,
              capture,
              key,
              channelId,
              price,
              true,
              false,
              context));
    } catch (RuntimeException e) {
      // Nothing left the process: abandon the channel and give the deposit back.
      abandonUnsent(state, e);
      throw e instanceof MppException ? e : ledgerFailure(e);
    }
  }

  private void abandonUnsent(ChannelState state, RuntimeException cause) {
    try {
      ChannelState stored = store.find(state.channelId()).orElse(state);
      store.update(stored, stored.next(now()).status(ChannelStatus.CLOSED).build());
      LedgerStore books = ledger;
      if (books != null) {
        ChannelLedger.reconcile(books, stored, BigInteger.ZERO, now());
      }
    } catch (RuntimeException e) {
      log.warn("could not abandon unsent channel {}: {}", state.channelId(), e.toString());
    } finally {
      CompletableFuture<Void> future = opening.remove(state.key().id());
      if (future != null) {
        future.completeExceptionally(cause);
      }
    }
  }

  /**
   * Adds to the channel's deposit before the next voucher would exceed it: holds the top-up, sends
   * the signed top-up transaction to the server, and records the new deposit.
   */
  private ChannelState topUp(
      ChannelState channel,
      BigInteger price,
      SessionRequest request,
      Challenge challenge,
      PaymentContext context,
      Funding funding) {
    BigInteger needed = channel.highestSigned().add(price).subtract(channel.deposit());
    BigInteger additional = depositFor(request, funding, channel.unspent());
    if (additional.compareTo(needed) < 0) {
      throw denied(
          "session top-up",
          "the policy and budget allow a top-up of " + additional + ", " + needed + " is needed",
          additional,
          needed);
    }
    if (!request.protocol().fits(channel.deposit().add(additional))) {
      throw new PaymentRefusedException(
          ErrorCode.UNSUPPORTED_REQUEST, "tempo session: the deposit would overflow");
    }
    TempoFees fees = fees(config.topUpGas());
    PaymentRecord hold =
        ChannelLedger.hold(
            funding,
            context,
            challenge,
            request,
            additional,
            feeUnits(request, fees),
            channel.channelId(),
            "session top-up (hold)");
    TempoTransaction unsigned =
        ChannelTransactions.build(
            config.chainId(),
            ChannelTransactions.topUpCalls(channel, request.escrow(), additional),
            fees,
            validBefore(challenge),
            feeToken(request));
    TempoTransaction signed;
    try {
      signed = unsigned.withSignature(sign(unsigned.signingHash()));
    } catch (RuntimeException e) {
      release(hold, "signing failed");
      throw e;
    }
    ObjectNode payload =
        SessionPayloads.topUp(
            channel.descriptor(), channel.channelId(), signed.encodeSigned(), additional);
    SessionTransport.Response response;
    try {
      response =
          transport.send(
              "POST", context.url(), Map.of("Authorization", header(challenge, payload)));
    } catch (IOException e) {
      return afterUncertainTopUp(channel, hold, additional, "transport failed: " + e);
    }
    if (response.status() / 100 != 2) {
      String problem = problemText(response);
      if (response.status() == 402 || response.status() == 400 || response.status() == 410) {
        EscrowChannel onChain = readChannel(channel).orElse(null);
        if (onChain == null || onChain.deposit().compareTo(channel.deposit()) <= 0) {
          release(hold, "top-up rejected: HTTP " + response.status() + " " + problem);
          throw new PaymentFailedException(
              ErrorCode.PAYMENT_REJECTED,
              "tempo session: top-up of channel "
                  + channel.channelId()
                  + " rejected with HTTP "
                  + response.status()
                  + " "
                  + problem);
        }
      }
      return afterUncertainTopUp(channel, hold, additional, "HTTP " + response.status());
    }
    log.debug("topped up channel {} by {}", channel.channelId(), additional);
    return recordTopUp(channel, hold, additional);
  }

  private ChannelState afterUncertainTopUp(
      ChannelState channel, PaymentRecord hold, BigInteger additional, String why) {
    Optional<EscrowChannel> onChain = readChannel(channel);
    if (onChain.isPresent()
        && onChain.get().deposit().compareTo(channel.deposit().add(additional)) >= 0) {
      return recordTopUp(channel, hold, additional);
    }
    // Broadcast may still happen: keep the hold counted until the channel closes.
    updateChannel(channel.channelId(), state -> state.next(now()).addHold(hold.id()).build());
    throw new PaymentFailedException(
        ErrorCode.RAIL_FAILED,
        "tempo session: top-up of channel " + channel.channelId() + " not confirmed (" + why + ")");
  }

  private ChannelState recordTopUp(ChannelState channel, PaymentRecord hold, BigInteger amount) {
    return updateChannel(
        channel.channelId(),
        state -> state.next(now()).deposit(state.deposit().add(amount)).addHold(hold.id()).build());
  }

  /**
   * How much a deposit (or top-up, when {@code unspent} is the channel's unspent deposit) may be:
   * the configured maximum and the policy's {@code maxLockable}, less what is already locked, the
   * server's suggestion, and what every cap still allows.
   */
  private BigInteger depositFor(SessionRequest request, Funding funding, BigInteger unspent) {
    Asset asset = ChannelLedger.asset(request);
    BigInteger amount = config.maxDeposit().subtract(unspent);
    OptionalLong lockable = funding.maxLockableUsdMicros();
    if (lockable.isPresent()) {
      amount = amount.min(unitsFor(lockable.getAsLong(), asset, funding).subtract(unspent));
    }
    if (request.suggestedDeposit() != null) {
      amount = amount.min(request.suggestedDeposit());
    }
    Optional<BigInteger> affordable = affordable(funding, asset);
    if (affordable.isPresent()) {
      amount = amount.min(affordable.get());
    }
    return amount.min(request.protocol().maxAmount()).max(BigInteger.ZERO);
  }

  /** What every cap of the agent and fleet still allows in {@code asset}, if any cap applies. */
  private Optional<BigInteger> affordable(Funding funding, Asset asset) {
    BigInteger least = null;
    for (Limit limit : funding.limits(asset, funding.now())) {
      if (limit.assetKey() != null && !limit.assetKey().equals(asset.key())) {
        continue;
      }
      Usage used = funding.ledger().usage(limit.scope(), limit.since(), limit.assetKey());
      BigInteger room = null;
      if (limit.maxUsdMicros() != null) {
        room = unitsFor(Math.max(0, limit.maxUsdMicros() - used.usdMicros()), asset, funding);
      }
      if (limit.maxUnits() != null) {
        BigInteger units = limit.maxUnits().subtract(used.units()).max(BigInteger.ZERO);
        room = room == null ? units : room.min(units);
      }
      if (limit.maxCount() != null && used.count() >= limit.maxCount()) {
        room = BigInteger.ZERO;
      }
      if (room != null) {
        least = least == null ? room : least.min(room);
      }
    }
    return Optional.ofNullable(least);
  }

  /** The most base units of {@code asset} that {@code usdMicros} buys (rounding down). */
  private static BigInteger unitsFor(long usdMicros, Asset asset, Funding funding) {
    BigInteger whole = BigInteger.TEN.pow(asset.decimals());
    long perWhole = funding.usdMicros(new Money(whole, asset));
    if (perWhole <= 0) {
      return BigInteger.ZERO;
    }
    return BigInteger.valueOf(usdMicros).multiply(whole).divide(BigInteger.valueOf(perWhole));
  }

  // ---------------------------------------------------------------------------------------------
  // Outcomes (called by SessionAuthorization)
  // ---------------------------------------------------------------------------------------------

  /** The server accepted a voucher (or the open). */
  PaymentRecord accepted(
      SessionAuthorization authorization, int httpStatus, Receipt receipt, String note) {
    Optional<SessionReceipt> session = SessionReceipt.of(receipt);
    Bytes32 channelId = authorization.channelId();
    StringBuilder detail =
        new StringBuilder("voucher ")
            .append(authorization.cumulative())
            .append(" accepted with HTTP ")
            .append(httpStatus);
    if (note != null) {
      detail.append("; ").append(note);
    }
    if (session.isPresent() && !session.get().channelId().equals(channelId)) {
      detail.append("; receipt names channel ").append(session.get().channelId());
      session = Optional.empty();
    }
    Optional<SessionReceipt> fields = session;
    try {
      updateChannel(
          channelId,
          state -> {
            ChannelState.Builder next = state.next(now());
            if (state.status() == ChannelStatus.OPENING) {
              next.status(ChannelStatus.OPEN);
            }
            if (fields.isPresent()) {
              // Receipts can arrive out of order (a stream's in-stream vouchers settle before
              // the stream's own response when the client buffers the body): never go back.
              next.accepted(
                      fields
                          .get()
                          .acceptedCumulative()
                          .min(state.highestSigned())
                          .max(state.accepted()))
                  .spent(fields.get().spent().min(state.highestSigned()).max(state.spent()));
              if (authorization.isOpen() && fields.get().txHash() != null) {
                next.openTxHash(fields.get().txHash());
              }
            } else {
              next.accepted(authorization.cumulative().max(state.accepted()));
            }
            return next.build();
          });
    } catch (RuntimeException e) {
      log.warn("channel {}: could not record the acceptance: {}", channelId, e.toString());
    }
    if (authorization.isOpen()) {
      CompletableFuture<Void> future = opening.remove(authorization.key().id());
      if (future != null) {
        future.complete(null);
      }
    }
    rememberUpfront(authorization, true);
    fields.ifPresent(f -> detail.append("; accepted cumulative ").append(f.acceptedCumulative()));
    return transition(
        authorization.record(),
        PaymentState.PAID,
        channelId.toHex(),
        receipt == null ? null : receipt.raw(),
        detail.toString());
  }

  /**
   * The server refused the credential. The voucher stays counted (the server holds the signature);
   * a channel that is gone is forgotten and reconciled; the same request's next attempt re-sends
   * the same voucher.
   */
  PaymentRecord refused(SessionAuthorization authorization, int httpStatus, Problem problem) {
    String type = problem == null ? "(no problem details)" : problem.type().uri();
    if (httpStatus == 410 || (problem != null && problem.type().channelGone())) {
      forget(authorization.channelId(), "server answered " + httpStatus + " " + type);
      return currentRecord(authorization.record());
    }
    failOpening(authorization, "rejected: HTTP " + httpStatus + " " + type);
    if (authorization.isUpfront()) {
      rememberUpfront(authorization, false);
    }
    pending.put(authorization.context(), authorization);
    return transition(
        authorization.record(),
        PaymentState.UNKNOWN,
        null,
        null,
        "voucher "
            + authorization.cumulative()
            + " refused with HTTP "
            + httpStatus
            + " "
            + type
            + "; counted until the channel closes (the server holds the signature)");
  }

  /** The outcome is unknown (transport failure, 5xx). */
  PaymentRecord unknown(SessionAuthorization authorization, String reason) {
    failOpening(authorization, reason);
    return transition(
        authorization.record(),
        PaymentState.UNKNOWN,
        null,
        null,
        "voucher "
            + authorization.cumulative()
            + ": "
            + reason
            + "; counted until the channel closes");
  }

  private void failOpening(SessionAuthorization authorization, String why) {
    if (authorization.isOpen()) {
      CompletableFuture<Void> future = opening.remove(authorization.key().id());
      if (future != null) {
        future.completeExceptionally(
            new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: open " + why));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Up-front vouchers
  // ---------------------------------------------------------------------------------------------

  @Override
  public Optional<Challenge> upfrontChallenge(PaymentContext context) {
    if (!config.upfrontVouchers()) {
      return Optional.empty();
    }
    Upfront entry = upfront.get(route(context));
    if (entry == null || Boolean.FALSE.equals(entry.accepts())) {
      return Optional.empty();
    }
    Instant until = now().plus(config.upfrontMargin());
    Optional<Instant> expires = entry.challenge().expires();
    if (expires.isEmpty() || !expires.get().isAfter(until)) {
      return Optional.empty();
    }
    Optional<ChannelState> channel = store.active(entry.key());
    if (channel.isEmpty() || channel.get().status() != ChannelStatus.OPEN) {
      return Optional.empty();
    }
    return Optional.of(entry.challenge());
  }

  /** Whether the server accepts up-front vouchers on {@code context}'s resource, if measured. */
  public Optional<Boolean> acceptsUpfrontVouchers(PaymentContext context) {
    Upfront entry = upfront.get(route(context));
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.accepts());
  }

  private boolean isUpfront(Challenge challenge, PaymentContext context) {
    Upfront entry = upfront.get(route(context));
    return entry != null && entry.challenge().equals(challenge);
  }

  private void rememberUpfront(SessionAuthorization authorization, boolean accepted) {
    PaymentContext context = authorization.context();
    if (context == null) {
      return;
    }
    if (upfront.size() >= MAX_UPFRONT_ROUTES) {
      upfront.clear();
    }
    upfront.compute(
        route(context),
        (route, old) -> {
          if (!accepted) {
            // Refused the first time: the server does not take earlier challenges; probe from
            // now on. Refused after it did: the route changed; forget the challenge and measure
            // again with the next one paid.
            if (old == null || Boolean.TRUE.equals(old.accepts())) {
              return null;
            }
            return new Upfront(old.challenge(), old.key(), Boolean.FALSE);
          }
          Boolean accepts =
              authorization.isUpfront() ? Boolean.TRUE : old == null ? null : old.accepts();
          return new Upfront(authorization.challenge(), authorization.key(), accepts);
        });
  }

  private static String route(PaymentContext context) {
    return context.agent() + " " + context.httpMethod() + " " + context.safeUrl();
  }

  // ---------------------------------------------------------------------------------------------
  // Streams: payment-need-voucher
  // ---------------------------------------------------------------------------------------------

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
    if (!event.isPaymentDemand()) {
      return false;
    }
    NeedVoucher need = NeedVoucher.parse(event.data());
    Optional<ChannelState> known = store.find(need.channelId());
    if (known.isEmpty()) {
      return false;
    }
    ChannelKey key = known.get().key();
    if (!key.agent().equals(funding.agent()) || !key.origin().equals(context.origin())) {
      throw new PaymentRefusedException(
          ErrorCode.UNSUPPORTED_REQUEST,
          "tempo session: the stream asks for a voucher on channel "
              + need.channelId()
              + ", which is not "
              + funding.agent()
              + "'s channel with "
              + context.origin());
    }
    if (ledger == null) {
      ledger = funding.ledger();
    }
    Challenge challenge = streamChallenge(known.get(), context);
    SessionRequest request = SessionRequest.parse(challenge, config);
    ReentrantLock lock = locks.computeIfAbsent(key.id(), k -> new ReentrantLock());
    while (true) {
      Reservation reservation;
      BigInteger increment;
      lock.lock();
      try {
        ChannelState channel =
            store
                .find(need.channelId())
                // Still OPENING when the HTTP client streams the body before the flow has seen
                // the response (java.net.http with a whole-body handler): the server serving the
                // stream is the proof that it took the open.
                .filter(
                    state ->
                        state.status() == ChannelStatus.OPEN
                            || state.status() == ChannelStatus.OPENING)
                .orElseThrow(
                    () ->
                        new PaymentFailedException(
                            ErrorCode.RAIL_FAILED,
                            "tempo session: channel " + need.channelId() + " is no longer open"));
        increment = need.requiredCumulative().subtract(channel.highestSigned());
        if (increment.signum() <= 0) {
          // At least that much is signed already (a voucher still in flight, or lost): sending
          // the highest again authorizes no new money.
          resend(channel, challenge, context);
          return true;
        }
        funding.check(context, challenge, new Money(increment, ChannelLedger.asset(key)));
        if (channel.highestSigned().add(increment).compareTo(channel.deposit()) > 0) {
          channel = topUp(channel, increment, request, challenge, context, funding);
        }
        reservation = reserve(channel, increment, context);
      } finally {
        lock.unlock();
      }
      if (reservation == null) {
        continue; // another process signed meanwhile; look again
      }
      SessionAuthorization authorization =
          voucher(reservation, increment, challenge, context, funding, key, false);
      deliver(authorization, context);
      return true;
    }
  }

  /** POSTs an in-stream voucher and settles its record by the answer. */
  private void deliver(SessionAuthorization authorization, PaymentContext context) {
    SessionTransport.Response response;
    try {
      response =
          transport.send(
              "POST", context.url(), Map.of("Authorization", authorization.authorizationHeader()));
    } catch (IOException e) {
      PaymentRecord record = authorization.markUnknown("stream voucher not confirmed: " + e);
      throw new PaymentOutcomeUnknownException(
          "tempo session: the stream's voucher "
              + authorization.cumulative()
              + " was sent; no answer",
          record,
          e);
    }
    if (response.status() / 100 == 2) {
      String note = null;
      Receipt receipt = null;
      Optional<String> header = response.header("payment-receipt").stream().findFirst();
      if (header.isPresent()) {
        try {
          receipt = Receipt.parse(header.get());
        } catch (ProtocolException e) {
          note = "invalid receipt: " + e.getMessage();
        }
      }
      authorization.settle(response.status(), receipt, note);
      log.debug("stream voucher {} accepted", authorization.cumulative());
      return;
    }
    Problem problem = problemOf(response);
    authorization.reject(response.status(), problem);
    throw new PaymentFailedException(
        ErrorCode.PAYMENT_REJECTED,
        "tempo session: the server refused the stream's voucher "
            + authorization.cumulative()
            + " with HTTP "
            + response.status()
            + " "
            + describe(problem));
  }

  /** Sends the channel's highest signed voucher again (nothing new is authorized or recorded). */
  private void resend(ChannelState channel, Challenge challenge, PaymentContext context) {
    Voucher voucher = signVoucher(channel, channel.highestSigned());
    ObjectNode payload = SessionPayloads.voucher(channel.descriptor(), voucher);
    SessionTransport.Response response;
    try {
      response =
          transport.send(
              "POST", context.url(), Map.of("Authorization", header(challenge, payload)));
    } catch (IOException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "tempo session: could not re-send voucher " + channel.highestSigned() + ": " + e,
          e);
    }
    if (response.status() / 100 != 2) {
      throw new PaymentFailedException(
          ErrorCode.PAYMENT_REJECTED,
          "tempo session: the server refused voucher "
              + channel.highestSigned()
              + " with HTTP "
              + response.status()
              + " "
              + problemText(response));
    }
  }

  /**
   * The challenge to bind an in-stream voucher to: the one this route was last paid with while it
   * stays valid (mppx's client does the same), else a fresh one from the stream's URL.
   */
  private Challenge streamChallenge(ChannelState channel, PaymentContext context) {
    Upfront entry = upfront.get(route(context));
    if (entry != null && entry.key().equals(channel.key())) {
      Optional<Instant> expires = entry.challenge().expires();
      if (expires.isPresent() && expires.get().isAfter(now().plus(config.upfrontMargin()))) {
        return entry.challenge();
      }
    }
    return freshChallenge(channel, context.url());
  }

  // ---------------------------------------------------------------------------------------------
  // Channels that are opening, gone or closing
  // ---------------------------------------------------------------------------------------------

  private void awaitOpening(CompletableFuture<Void> wait, long deadline, ChannelKey key) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo session: the channel for " + key.origin() + " is opening");
    }
    try {
      wait.get(remaining, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      // The open failed; the loop looks at the channel again.
    } catch (TimeoutException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "tempo session: the channel for " + key.origin() + " did not open in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: interrupted");
    }
  }

  /**
   * Decides what became of a channel left OPENING by another process or an earlier run: on chain
   * and usable → OPEN; not on chain once its open transaction can no longer be mined → abandoned.
   */
  private void resolveOpening(ChannelState channel, long deadline) {
    Optional<EscrowChannel> onChain = readChannel(channel);
    if (onChain.isPresent() && onChain.get().usable()) {
      updateChannel(
          channel.channelId(), state -> state.next(now()).status(ChannelStatus.OPEN).build());
      return;
    }
    if (onChain.isPresent() && onChain.get().finalized()) {
      forget(channel.channelId(), "finalized on chain while opening");
      return;
    }
    Instant expired = channel.updatedAt().plus(config.validity()).plusSeconds(5);
    if (rpc == null || now().isAfter(expired)) {
      if (rpc == null) {
        // Without chain access assume it opened; a server that does not know it answers 410.
        updateChannel(
            channel.channelId(), state -> state.next(now()).status(ChannelStatus.OPEN).build());
      } else {
        forget(channel.channelId(), "open transaction expired without reaching the chain");
      }
      return;
    }
    if (System.nanoTime() > deadline) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo session: channel " + channel.channelId() + " is opening");
    }
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: interrupted");
    }
  }

  /**
   * Stops using a channel the server no longer knows (or that is finalized), and settles its books
   * with what the escrow says the payee received.
   */
  private void forget(Bytes32 channelId, String why) {
    ChannelState channel = store.find(channelId).orElse(null);
    if (channel == null || !channel.status().active()) {
      return;
    }
    Optional<EscrowChannel> onChain = readChannel(channel);
    BigInteger settled;
    boolean refunded;
    if (onChain.isEmpty()) {
      settled = null; // cannot tell: keep everything counted
      refunded = false;
    } else if (!onChain.get().exists()) {
      settled = BigInteger.ZERO;
      refunded = true;
    } else if (onChain.get().finalized()) {
      settled = onChain.get().settled();
      refunded = true;
    } else {
      settled = null; // still funded on chain: the deposit stays locked until a forced close
      refunded = false;
      log.warn(
          "channel {} is funded on chain but the server does not know it ({}); recover the"
              + " deposit with requestClose and withdraw",
          channelId,
          why);
    }
    ChannelState closed =
        updateChannel(
            channelId,
            state -> state.next(now()).status(ChannelStatus.CLOSED).settled(settled).build());
    LedgerStore books = ledger;
    if (refunded && books != null) {
      ChannelLedger.reconcile(books, closed, settled, now());
    }
    CompletableFuture<Void> future = opening.remove(channel.key().id());
    if (future != null) {
      future.completeExceptionally(
          new PaymentFailedException(ErrorCode.RAIL_FAILED, "tempo session: " + why));
    }
    log.info("forgot channel {}: {}", channelId, why);
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
    Objects.requireNonNull(channelId, "channelId");
    ChannelState channel =
        store
            .find(channelId)
            .orElseThrow(() -> new IllegalArgumentException("no channel " + channelId));
    if (!channel.status().active()) {
      throw new IllegalArgumentException("channel " + channelId + " is " + channel.status());
    }
    if (channel.url() == null) {
      throw new IllegalArgumentException("channel " + channelId + " has no URL to close at");
    }
    ReentrantLock lock = locks.computeIfAbsent(channel.key().id(), k -> new ReentrantLock());
    lock.lock();
    try {
      channel = store.find(channelId).orElseThrow();
      if (!channel.status().active()) {
        throw new IllegalArgumentException("channel " + channelId + " is " + channel.status());
      }
      ChannelStatus before = channel.status();
      channel =
          updateChannel(
              channelId, state -> state.next(now()).status(ChannelStatus.CLOSING).build());
      try {
        return closeNow(channel);
      } catch (RuntimeException e) {
        updateChannel(channelId, state -> state.next(now()).status(before).build());
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Closes every active channel of {@code agent} (every agent when null); reports each. */
  public List<CloseResult> closeAll(String agent) {
    List<CloseResult> results = new ArrayList<>();
    for (ChannelState channel : store.list(agent)) {
      if (channel.status().active() && channel.url() != null) {
        try {
          results.add(close(channel.channelId()));
        } catch (RuntimeException e) {
          log.warn("could not close channel {}: {}", channel.channelId(), e.getMessage());
        }
      }
    }
    return results;
  }

  private CloseResult closeNow(ChannelState channel) {
    URI url = URI.create(channel.url());
    Challenge challenge = freshChallenge(channel, url);
    BigInteger amount = channel.accepted().max(channel.spent());
    Voucher voucher = signVoucher(channel, amount);
    ObjectNode payload = SessionPayloads.close(channel.descriptor(), voucher);
    SessionTransport.Response response;
    try {
      response = transport.send("POST", url, Map.of("Authorization", header(challenge, payload)));
    } catch (IOException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo session: close request failed: " + e.getMessage(), e);
    }
    if (response.status() == 410) {
      forget(channel.channelId(), "closed by the server");
      ChannelState gone = store.find(channel.channelId()).orElseThrow();
      BigInteger settled = Objects.requireNonNullElse(gone.settled(), BigInteger.ZERO);
      return new CloseResult(
          channel.channelId(), settled, channel.deposit().subtract(settled), null);
    }
    if (response.status() / 100 != 2) {
      throw new PaymentFailedException(
          ErrorCode.PAYMENT_REJECTED,
          "tempo session: close of channel "
              + channel.channelId()
              + " rejected with HTTP "
              + response.status()
              + " "
              + problemText(response));
    }
    Optional<SessionReceipt> receipt =
        response.header("payment-receipt").stream()
            .findFirst()
            .flatMap(
                value -> {
                  try {
                    return SessionReceipt.of(Receipt.parse(value));
                  } catch (ProtocolException e) {
                    return Optional.empty();
                  }
                });
    BigInteger settled = amount;
    String txHash = receipt.map(SessionReceipt::txHash).orElse(null);
    Optional<EscrowChannel> onChain = readChannel(channel);
    if (onChain.isPresent() && onChain.get().finalized()) {
      settled = onChain.get().settled();
    } else if (onChain.isPresent()) {
      log.warn(
          "channel {}: the server answered the close but the escrow is not finalized",
          channel.channelId());
    }
    BigInteger finalSettled = settled;
    ChannelState closed =
        updateChannel(
            channel.channelId(),
            state ->
                state
                    .next(now())
                    .status(ChannelStatus.CLOSED)
                    .settled(finalSettled)
                    .closeTxHash(txHash)
                    .build());
    LedgerStore books = ledger;
    if (books != null) {
      ChannelLedger.reconcile(books, closed, finalSettled, now());
    }
    log.info(
        "closed channel {}: payee received {}, {} refunded (tx {})",
        channel.channelId(),
        finalSettled,
        channel.deposit().subtract(finalSettled),
        txHash);
    return new CloseResult(
        channel.channelId(), finalSettled, channel.deposit().subtract(finalSettled), txHash);
  }

  /** Asks the channel's URL for a session challenge of the channel's escrow, payee and token. */
  private Challenge freshChallenge(ChannelState channel, URI url) {
    for (String method : List.of("HEAD", "GET")) {
      SessionTransport.Response response;
      try {
        response = transport.send(method, url, Map.of());
      } catch (IOException e) {
        throw new PaymentFailedException(
            ErrorCode.RAIL_FAILED,
            "tempo session: cannot fetch a challenge to close with: " + e.getMessage(),
            e);
      }
      if (response.status() != 402) {
        continue;
      }
      Challenges challenges = Challenge.parseAll(response.header("www-authenticate"));
      for (Challenge challenge : challenges.valid()) {
        try {
          SessionRequest request = SessionRequest.parse(challenge, config);
          if (key(request, challenge, contextFor(url, channel), channel.key().agent())
              .equals(channel.key())) {
            return challenge;
          }
        } catch (MppException e) {
          // not this channel's offer
        }
      }
    }
    throw new PaymentFailedException(
        ErrorCode.RAIL_FAILED,
        "tempo session: " + url.getHost() + " offers no session challenge for this channel");
  }

  private static PaymentContext contextFor(URI url, ChannelState channel) {
    return PaymentContext.of(url, "POST", channel.key().agent());
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

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private ChannelState updateChannel(
      Bytes32 channelId, java.util.function.UnaryOperator<ChannelState> change) {
    for (int attempt = 0; attempt < 100; attempt++) {
      ChannelState current =
          store
              .find(channelId)
              .orElseThrow(() -> new IllegalStateException("no channel " + channelId));
      ChannelState next = change.apply(current);
      if (store.update(current, next)) {
        return next;
      }
    }
    throw new PaymentFailedException(
        ErrorCode.LEDGER_FAILURE, "tempo session: channel " + channelId + " keeps changing");
  }

  private Optional<EscrowChannel> readChannel(ChannelState channel) {
    if (rpc == null) {
      return Optional.empty();
    }
    try {
      if (channel.key().protocol() == SessionProtocol.V1) {
        return Optional.of(
            EscrowCalls.decodeChannelV1(
                rpc.call(channel.key().escrow(), EscrowCalls.getChannelV1(channel.channelId()))));
      }
      EscrowChannel state =
          EscrowCalls.decodeChannelStateV2(
              rpc.call(channel.key().escrow(), EscrowCalls.getChannelStateV2(channel.channelId())));
      return Optional.of(state);
    } catch (JsonRpcException | IllegalArgumentException e) {
      log.debug("cannot read channel {}: {}", channel.channelId(), e.toString());
      return Optional.empty();
    }
  }

  private Voucher signVoucher(ChannelState channel, BigInteger cumulative) {
    ChannelKey key = channel.key();
    Bytes32 digest =
        Voucher.digest(
            key.protocol(), key.chainId(), key.escrow(), channel.channelId(), cumulative);
    return new Voucher(channel.channelId(), cumulative, sign(digest.toBytes()));
  }

  private Signature sign(byte[] hash) {
    Signature signature;
    try {
      signature = signer.sign(hash);
    } catch (SignerException e) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED, "tempo session: signer failed: " + e.getMessage(), e);
    }
    if (signature == null || (verifySignatures && !account.equals(signature.recoverSigner(hash)))) {
      throw new PaymentFailedException(
          ErrorCode.RAIL_FAILED,
          "tempo session: signer returned a signature not made by " + account);
    }
    return signature;
  }

  private String header(Challenge challenge, ObjectNode payload) {
    return Credential.of(challenge, payload, source).toHeaderValue();
  }

  /** What the payer may be charged for a transaction: nothing when the server sponsors it. */
  private static BigInteger feeUnits(SessionRequest request, TempoFees fees) {
    return request.feePayer() ? BigInteger.ZERO : fees.maxFeeInTokenUnits();
  }

  private TempoFees fees(long gas) {
    BigInteger priority = config.maxPriorityFeePerGas();
    BigInteger affordable = config.maxTotalFee().divide(BigInteger.valueOf(gas));
    BigInteger maxFee;
    if (config.maxFeePerGas().isPresent()) {
      maxFee = config.maxFeePerGas().get();
    } else {
      if (rpc == null) {
        throw new PaymentFailedException(
            ErrorCode.RAIL_FAILED,
            "tempo session: no JSON-RPC endpoint and no fixed maxFeePerGas configured");
      }
      BigInteger price;
      try {
        price = rpc.gasPrice();
      } catch (JsonRpcException e) {
        throw new PaymentFailedException(
            ErrorCode.RAIL_FAILED, "tempo session: fee estimation failed: " + e.getMessage(), e);
      }
      maxFee = price.shiftLeft(1).add(priority);
      if (maxFee.min(config.maxFeePerGasCap()).min(affordable).compareTo(price) < 0) {
        throw new PaymentFailedException(
            ErrorCode.RAIL_FAILED,
            "tempo session: current gas price " + price + " exceeds the configured fee limits");
      }
    }
    maxFee = maxFee.min(config.maxFeePerGasCap()).min(affordable);
    return new TempoFees(gas, maxFee, priority.min(maxFee));
  }

  private EvmAddress feeToken(SessionRequest request) {
    return request.feePayer() ? null : config.feeToken().orElse(request.currency());
  }

  private long validBefore(Challenge challenge) {
    Instant now = clock.instant();
    long validBefore = now.getEpochSecond() + config.validity().toSeconds();
    Optional<Instant> expires = challenge.expires();
    if (expires.isPresent()) {
      validBefore = Math.min(validBefore, expires.get().getEpochSecond());
    }
    if (validBefore <= now.getEpochSecond()) {
      throw new PaymentRefusedException(
          ErrorCode.CHALLENGE_EXPIRED, "tempo session: challenge " + challenge.id() + " expired");
    }
    return validBefore;
  }

  private void release(PaymentRecord record, String why) {
    transition(record, PaymentState.RELEASED, null, null, why);
  }

  private PaymentRecord transition(
      PaymentRecord record, PaymentState state, String reference, String receipt, String detail) {
    LedgerStore books = ledger;
    if (books == null) {
      return record;
    }
    try {
      return books.transition(record.id(), state, reference, receipt, detail, now());
    } catch (RuntimeException e) {
      log.error(
          "ledger could not move {} to {}: {}; it stays {}",
          record.id(),
          state,
          e.getClass().getName(),
          record.state());
      return record;
    }
  }

  private PaymentRecord currentRecord(PaymentRecord record) {
    LedgerStore books = ledger;
    return books == null ? record : books.find(record.id()).orElse(record);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String problemText(SessionTransport.Response response) {
    return describe(problemOf(response));
  }

  /** The response's problem details, or null when its body is empty or not one. */
  private static Problem problemOf(SessionTransport.Response response) {
    try {
      byte[] body = response.body();
      return body.length == 0 ? null : Problem.parse(body);
    } catch (ProtocolException e) {
      return null;
    }
  }

  private static String describe(Problem problem) {
    return problem == null
        ? "(no problem details)"
        : problem.type().uri() + problem.text("detail").map(d -> ": " + d).orElse("");
  }

  private static PaymentDeniedException denied(
      String rule, String message, BigInteger amount, BigInteger needed) {
    return new PaymentDeniedException(
        ErrorCode.POLICY_DENIED,
        rule,
        new java.math.BigDecimal(needed, ChannelLedger.DECIMALS),
        null,
        new java.math.BigDecimal(amount, ChannelLedger.DECIMALS),
        "units",
        "tempo session: " + message);
  }

  private static PaymentFailedException ledgerFailure(RuntimeException e) {
    if (e instanceof PaymentFailedException failed) {
      return failed;
    }
    if (e instanceof MppException mpp) {
      throw mpp;
    }
    return new PaymentFailedException(
        ErrorCode.LEDGER_FAILURE,
        "tempo session: recording failed: " + e.getClass().getSimpleName(),
        e);
  }

  /** Shows the chain and the paying address only. */
  @Override
  public String toString() {
    return "TempoSessionRail[chainId=" + config.chainId() + ", account=" + account + "]";
  }

  /** Configures a {@link TempoSessionRail}. */
  public static final class Builder {
    private final TempoSessionConfig config;
    private final Signer signer;
    private final ChannelStore store;
    private JsonRpcClient rpc;
    private SessionTransport transport;
    private LedgerStore ledger;
    private Clock clock = Clock.systemUTC();

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
      this.rpc = Objects.requireNonNull(rpc, "rpc");
      return this;
    }

    /** How top-up and close requests are sent (default: a JDK HttpClient, 30 s timeout). */
    public Builder transport(SessionTransport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * The wallet's ledger, for closing channels outside a payment (at shutdown, from the CLI).
     * Without it, the ledger of the first payment is used.
     */
    public Builder ledger(LedgerStore ledger) {
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      return this;
    }

    /** The clock (default UTC system clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the rail. */
    public TempoSessionRail build() {
      if (transport == null) {
        transport = SessionTransport.jdk(Duration.ofSeconds(30));
      }
      return new TempoSessionRail(this);
    }
  }
}
