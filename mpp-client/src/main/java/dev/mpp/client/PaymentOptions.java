package dev.mpp.client;

import dev.mpp.client.PaymentFlow.AcceptPaymentMode;
import dev.mpp.client.wire.Challenge;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How a {@link PaymentFlow} and the HTTP adapters around it pay: every option of {@link
 * PaymentFlow.Builder}, {@code MppInterceptor.Builder} and {@code MppHttpClient.Builder} is defined
 * here, once. Immutable; build one with {@link #builder()} and hand it to any of them, or set the
 * options on those builders directly (they inherit the setters of {@link Configurer}).
 *
 * <pre>{@code
 * PaymentOptions options = PaymentOptions.builder().agent("bot-1").maxPaymentAttempts(2).build();
 * MppInterceptor interceptor = MppInterceptor.builder(wallet).options(options).build();
 * }</pre>
 */
public final class PaymentOptions {
  /** Default for {@link Configurer#maxBufferedBody}: 4 MiB. */
  public static final long DEFAULT_MAX_BUFFERED_BODY = 4L << 20;

  private static final PaymentOptions DEFAULTS = builder().build();

  private final String agent;
  private final Clock clock;
  private final Duration clockSkew;
  private final boolean allowInsecureHttp;
  private final int maxPaymentAttempts;
  private final PaymentListener listener;
  private final TransportRetry transportRetry;
  private final AcceptPaymentMode acceptPayment;
  private final boolean returnUnpaidResponses;
  private final Executor executor;
  private final long maxBufferedBody;

  private PaymentOptions(Configurer<?> c) {
    this.agent = c.agent;
    this.clock = c.clock;
    this.clockSkew = c.clockSkew;
    this.allowInsecureHttp = c.allowInsecureHttp;
    this.maxPaymentAttempts = c.maxPaymentAttempts;
    this.listener = c.listener;
    this.transportRetry = c.transportRetry;
    this.acceptPayment = c.acceptPayment;
    this.returnUnpaidResponses = c.returnUnpaidResponses;
    this.executor = c.executor != null ? c.executor : DefaultExecutor.INSTANCE;
    this.maxBufferedBody = c.maxBufferedBody;
  }

  /** Every option at its default. */
  public static PaymentOptions defaults() {
    return DEFAULTS;
  }

  /** Starts building options; every setter may be called at most once. */
  public static Builder builder() {
    return new Builder();
  }

  /** The agent whose policy applies. */
  public String agent() {
    return agent;
  }

  /** The clock used for expiry checks. */
  public Clock clock() {
    return clock;
  }

  /** How far clocks may disagree when checking {@code expires}. */
  public Duration clockSkew() {
    return clockSkew;
  }

  /** Whether credentials may go over plain {@code http} to non-loopback hosts. */
  public boolean allowInsecureHttp() {
    return allowInsecureHttp;
  }

  /** How many payments one logical request may make (1 or 2). */
  public int maxPaymentAttempts() {
    return maxPaymentAttempts;
  }

  /** The observer of every payment. */
  public PaymentListener listener() {
    return listener;
  }

  /** How a paid attempt is resent after a transport failure. */
  public TransportRetry transportRetry() {
    return transportRetry;
  }

  /** When first attempts advertise {@code Accept-Payment}. */
  public AcceptPaymentMode acceptPayment() {
    return acceptPayment;
  }

  /** Whether a 402 that cannot or may not be paid is returned as is instead of thrown. */
  public boolean returnUnpaidResponses() {
    return returnUnpaidResponses;
  }

  /** The executor that runs signing and ledger work of asynchronous exchanges. */
  public Executor executor() {
    return executor;
  }

  /** The largest request body an adapter holds in memory. */
  public long maxBufferedBody() {
    return maxBufferedBody;
  }

  @Override
  public String toString() {
    return "PaymentOptions{agent="
        + agent
        + ", clockSkew="
        + clockSkew
        + ", allowInsecureHttp="
        + allowInsecureHttp
        + ", maxPaymentAttempts="
        + maxPaymentAttempts
        + ", acceptPayment="
        + acceptPayment
        + ", returnUnpaidResponses="
        + returnUnpaidResponses
        + ", maxBufferedBody="
        + maxBufferedBody
        + "}";
  }

  /** Builds a {@link PaymentOptions}. */
  public static final class Builder extends Configurer<Builder> {
    private Builder() {}

    /** The options as configured so far. */
    public PaymentOptions build() {
      return buildOptions();
    }
  }

  /**
   * The option setters, shared by every builder that configures payments. Each setter validates its
   * argument at once and may be called once per builder: a second call, or a setter after {@link
   * #options(PaymentOptions)}, throws {@link IllegalStateException} naming it, so that two parts of
   * an application cannot silently overwrite each other's choice.
   *
   * @param <B> the concrete builder, returned by every setter
   */
  public abstract static class Configurer<B extends Configurer<B>> {
    private final SetOnce set = new SetOnce();
    private String agent = "default";
    private Clock clock = Clock.systemUTC();
    private Duration clockSkew = Duration.ofSeconds(5);
    private boolean allowInsecureHttp;
    private int maxPaymentAttempts = 1;
    private PaymentListener listener = new PaymentListener() {};
    private TransportRetry transportRetry = TransportRetry.NONE;
    private AcceptPaymentMode acceptPayment = AcceptPaymentMode.KNOWN_ORIGINS;
    private boolean returnUnpaidResponses;
    private Executor executor;
    private long maxBufferedBody = DEFAULT_MAX_BUFFERED_BODY;

    /** For builders that configure payments; starts with every option at its default. */
    protected Configurer() {}

    /**
     * Takes every option from {@code options}; then no single option may be set on this builder.
     */
    public final B options(PaymentOptions options) {
      Objects.requireNonNull(options, "options");
      if (!set.isEmpty()) {
        throw new IllegalStateException(
            "options(PaymentOptions) replaces every option, but " + set + " was already set");
      }
      set.mark("agent");
      set.mark("clock");
      set.mark("clockSkew");
      set.mark("allowInsecureHttp");
      set.mark("maxPaymentAttempts");
      set.mark("listener");
      set.mark("transportRetry");
      set.mark("acceptPayment");
      set.mark("returnUnpaidResponses");
      set.mark("executor");
      set.mark("maxBufferedBody");
      this.agent = options.agent;
      this.clock = options.clock;
      this.clockSkew = options.clockSkew;
      this.allowInsecureHttp = options.allowInsecureHttp;
      this.maxPaymentAttempts = options.maxPaymentAttempts;
      this.listener = options.listener;
      this.transportRetry = options.transportRetry;
      this.acceptPayment = options.acceptPayment;
      this.returnUnpaidResponses = options.returnUnpaidResponses;
      this.executor = options.executor;
      this.maxBufferedBody = options.maxBufferedBody;
      return self();
    }

    /** The agent whose policy applies to every payment (default {@code default}). */
    public final B agent(String agent) {
      if (agent == null || agent.isBlank()) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "agent name must not be blank");
      }
      set.mark("agent");
      this.agent = agent;
      return self();
    }

    /** The clock used for expiry checks (default UTC system clock). */
    public final B clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      set.mark("clock");
      this.clock = clock;
      return self();
    }

    /**
     * How far clocks may disagree when checking {@code expires} (default 5 s). A challenge that
     * expires within this margin of now counts as expired and is never paid; see {@link
     * Challenge#isExpired}.
     */
    public final B clockSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "clock skew must not be negative");
      }
      set.mark("clockSkew");
      this.clockSkew = skew;
      return self();
    }

    /** Allows credentials over plain {@code http} to non-loopback hosts (default false). */
    public final B allowInsecureHttp(boolean allow) {
      set.mark("allowInsecureHttp");
      this.allowInsecureHttp = allow;
      return self();
    }

    /**
     * How many payments one logical request may make, 1 or 2 (default 1). The second attempt
     * happens only after the server rejected the first credential with {@code invalid-challenge} or
     * {@code payment-expired}, which prove that no money moved, and answers the fresh challenge of
     * that rejection.
     */
    public final B maxPaymentAttempts(int attempts) {
      if (attempts < 1 || attempts > 2) {
        throw new ConfigurationException(
            ErrorCode.INVALID_CONFIGURATION, "maxPaymentAttempts must be 1 or 2");
      }
      set.mark("maxPaymentAttempts");
      this.maxPaymentAttempts = attempts;
      return self();
    }

    /** Observes every payment: metrics, audit (default none). */
    public final B listener(PaymentListener listener) {
      Objects.requireNonNull(listener, "listener");
      set.mark("listener");
      this.listener = listener;
      return self();
    }

    /**
     * Resends the paid attempt after transport failures as {@code retry} decides (default never),
     * only where a resend cannot act twice: an idempotent method or an {@code Idempotency-Key}. For
     * a resilience4j {@code Retry}, pass {@link Resilience4jRetry#of}.
     */
    public final B transportRetry(TransportRetry retry) {
      Objects.requireNonNull(retry, "retry");
      set.mark("transportRetry");
      this.transportRetry = retry;
      return self();
    }

    /**
     * When first attempts advertise {@code Accept-Payment} (default {@link
     * AcceptPaymentMode#KNOWN_ORIGINS}).
     */
    public final B acceptPayment(AcceptPaymentMode mode) {
      Objects.requireNonNull(mode, "mode");
      set.mark("acceptPayment");
      this.acceptPayment = mode;
      return self();
    }

    /**
     * When paying is refused or denied, return the 402 response as is instead of throwing (default
     * false: throw the typed {@link MppException}).
     */
    public final B returnUnpaidResponses(boolean returnUnpaid) {
      set.mark("returnUnpaidResponses");
      this.returnUnpaidResponses = returnUnpaid;
      return self();
    }

    /**
     * Runs signing and ledger work of asynchronous exchanges (default: a shared pool of daemon
     * threads), never the caller's or the HTTP client's threads.
     */
    public final B executor(Executor executor) {
      Objects.requireNonNull(executor, "executor");
      set.mark("executor");
      this.executor = executor;
      return self();
    }

    /**
     * The largest request body an HTTP adapter holds in memory to check challenge digests and to
     * send again with the credential (default 4 MiB). A larger body is never paid for with a
     * digest-bound challenge; each adapter's documentation says what else it does with one.
     */
    public final B maxBufferedBody(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxBufferedBody must not be negative");
      }
      set.mark("maxBufferedBody");
      this.maxBufferedBody = bytes;
      return self();
    }

    /** The options set so far, as an immutable value. */
    protected final PaymentOptions buildOptions() {
      return new PaymentOptions(this);
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }
  }

  /** Signing and ledger I/O block, so they get daemon threads of their own by default. */
  private static final class DefaultExecutor {
    static final ExecutorService INSTANCE =
        Executors.newCachedThreadPool(
            new ThreadFactory() {
              private final AtomicInteger count = new AtomicInteger();

              @Override
              public Thread newThread(Runnable task) {
                Thread thread = new Thread(task, "mpp-pay-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              }
            });
  }
}
