package dev.mpp.wallet.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.ErrorCode;
import dev.mpp.client.PaymentContext;
import dev.mpp.client.PaymentRefusedException;
import dev.mpp.client.wire.Challenge;
import dev.mpp.client.wire.PaymentRequest;
import dev.mpp.wallet.Asset;
import dev.mpp.wallet.Money;
import dev.mpp.wallet.rail.Quote;
import dev.mpp.wallet.rail.Rail;
import dev.mpp.wallet.rail.RailPayment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A rail that moves no money, for tests, demos and benchmarks. It pays any challenge of its method
 * and intents whose {@code currency} (and {@code methodDetails.chainId}, if any) is one of its
 * configured assets, with a deterministic payload {@code {"token":"test-<challenge id>"}} unless
 * configured otherwise.
 *
 * <p>It can be told to fail ({@link Builder#failWith}) to exercise the wallet's release and unknown
 * paths, and counts the payments it made ({@link #payments()}).
 */
public final class TestRail implements Rail {
  private final String method;
  private final List<String> intents;
  private final List<Asset> assets;
  private final BigInteger fee;
  private final String source;
  private final Function<Challenge, ObjectNode> payload;
  private final Supplier<? extends RuntimeException> failure;
  private final AtomicInteger payments = new AtomicInteger();

  private TestRail(Builder b) {
    this.method = b.method;
    this.intents = List.copyOf(b.intents);
    this.assets = List.copyOf(b.assets);
    this.fee = b.fee;
    this.source = b.source;
    this.payload = b.payload;
    this.failure = b.failure;
  }

  /** Starts configuring a test rail for method {@code test}, intent {@code charge}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A rail for method {@code test}/{@code charge} paying ISO {@code usd} in cents. */
  public static TestRail usd() {
    return builder().asset("usd", 2).build();
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public List<String> intents() {
    return intents;
  }

  /** How many payments this rail has produced. */
  public int payments() {
    return payments.get();
  }

  @Override
  public Quote quote(Challenge challenge) {
    if (!challenge.method().equals(method)) {
      return Quote.unsupported("method " + challenge.method() + " is not " + method);
    }
    if (!intents.contains(challenge.intent())) {
      return Quote.unsupported("intent " + challenge.intent() + " is not supported");
    }
    PaymentRequest request = challenge.request();
    Optional<String> currency = request.currency();
    if (currency.isEmpty()) {
      return Quote.unsupported("request names no currency");
    }
    Optional<BigInteger> amount = request.amount();
    if (amount.isEmpty()) {
      return Quote.unsupported("request names no amount");
    }
    JsonNode chainNode = request.methodDetails().path("chainId");
    Long chainId = null;
    if (!chainNode.isMissingNode() && !chainNode.isNull()) {
      if (!chainNode.isIntegralNumber() || !chainNode.canConvertToLong()) {
        return Quote.unsupported("methodDetails.chainId is not an integer");
      }
      chainId = chainNode.longValue();
    }
    String wanted = currency.get().toLowerCase(Locale.ROOT);
    for (Asset asset : assets) {
      if (asset.currency().equals(wanted) && Objects.equals(asset.chainId(), chainId)) {
        return Quote.payable(new Money(amount.get(), asset), new Money(fee, asset));
      }
    }
    return Quote.unsupported(
        "asset "
            + wanted
            + (chainId == null ? "" : " on chain " + chainId)
            + " is not configured for "
            + method);
  }

  @Override
  public RailPayment pay(Challenge challenge, PaymentContext context) {
    if (failure != null) {
      throw failure.get();
    }
    if (quote(challenge) instanceof Quote.Unsupported unsupported) {
      throw new PaymentRefusedException(ErrorCode.UNSUPPORTED_REQUEST, unsupported.reason());
    }
    ObjectNode body = payload.apply(challenge);
    payments.incrementAndGet();
    return new RailPayment(body, source, null);
  }

  @Override
  public String toString() {
    return "TestRail[" + method + " " + intents + ", assets=" + assets + "]";
  }

  /** Configures a {@link TestRail}. */
  public static final class Builder {
    private String method = "test";
    private final List<String> intents = new ArrayList<>(List.of("charge"));
    private final List<Asset> assets = new ArrayList<>();
    private BigInteger fee = BigInteger.ZERO;
    private String source;
    private Function<Challenge, ObjectNode> payload =
        challenge -> JsonNodeFactory.instance.objectNode().put("token", "test-" + challenge.id());
    private Supplier<? extends RuntimeException> failure;

    private Builder() {}

    /** The method paid (default {@code test}). Set it before adding assets. */
    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /** The intents paid (default {@code charge}). */
    public Builder intents(String... intents) {
      this.intents.clear();
      this.intents.addAll(List.of(intents));
      return this;
    }

    /** Accepts an off-chain currency, e.g. {@code asset("usd", 2)}. */
    public Builder asset(String currency, int decimals) {
      assets.add(new Asset(method, currency, null, decimals));
      return this;
    }

    /** Accepts a token on a chain, e.g. pathUSD on 4217 with 6 decimals. */
    public Builder asset(String currency, long chainId, int decimals) {
      assets.add(new Asset(method, currency, chainId, decimals));
      return this;
    }

    /** The fee quoted on every payment, in base units of the payment's asset (default 0). */
    public Builder fee(long units) {
      if (units < 0) {
        throw new IllegalArgumentException("fee must not be negative");
      }
      this.fee = BigInteger.valueOf(units);
      return this;
    }

    /** The {@code source} DID put in credentials (default none). */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    /** Computes the credential payload for a challenge. */
    public Builder payload(Function<Challenge, ObjectNode> payload) {
      this.payload = Objects.requireNonNull(payload, "payload");
      return this;
    }

    /** Makes every {@code pay} throw the supplied exception (after the wallet reserved). */
    public Builder failWith(Supplier<? extends RuntimeException> failure) {
      this.failure = failure;
      return this;
    }

    /** Builds the rail. */
    public TestRail build() {
      if (assets.isEmpty()) {
        throw new IllegalStateException("a test rail needs at least one asset");
      }
      for (Asset asset : assets) {
        if (!asset.method().equals(method)) {
          throw new IllegalStateException("set the method before adding assets");
        }
      }
      return new TestRail(this);
    }
  }
}
