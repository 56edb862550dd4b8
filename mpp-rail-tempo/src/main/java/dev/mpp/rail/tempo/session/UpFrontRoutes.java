package dev.mpp.rail.tempo.session;

import dev.mpp.client.PaymentContext;
import dev.mpp.client.wire.Challenge;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per route (agent, method and URL), the challenge the server last accepted a voucher for, and
 * whether it takes vouchers sent up front with it: such requests then cost one round trip. A route
 * whose server refused an up-front voucher is probed with a 402 again from then on.
 */
final class UpFrontRoutes {
  private static final int MAX_ROUTES = 10_000;

  private final TempoSessionConfig config;
  private final ChannelStore store;
  private final Clock clock;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

  /**
   * A challenge a resource's voucher may be sent up front with.
   *
   * @param challenge the challenge the server last accepted a voucher for
   * @param key the channel
   * @param accepts whether the server accepts up-front vouchers: true, false, or null (unknown)
   */
  private record Route(Challenge challenge, ChannelKey key, Boolean accepts) {}

  UpFrontRoutes(TempoSessionConfig config, ChannelStore store, Clock clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
  }

  /** The challenge to send {@code context}'s voucher up front with, if there is a usable one. */
  Optional<Challenge> challenge(PaymentContext context) {
    if (!config.upfrontVouchers()) {
      return Optional.empty();
    }
    Route route = routes.get(route(context));
    if (route == null || Boolean.FALSE.equals(route.accepts()) || !fresh(route.challenge())) {
      return Optional.empty();
    }
    Optional<ChannelState> channel = store.active(route.key());
    if (channel.isEmpty() || channel.get().status() != ChannelStatus.OPEN) {
      return Optional.empty();
    }
    return Optional.of(route.challenge());
  }

  /** Whether the server accepts up-front vouchers on {@code context}'s resource, if measured. */
  Optional<Boolean> accepts(PaymentContext context) {
    Route route = routes.get(route(context));
    return route == null ? Optional.empty() : Optional.ofNullable(route.accepts());
  }

  /** Whether {@code challenge} is the one {@code context}'s voucher would go up front with. */
  boolean isUpfront(Challenge challenge, PaymentContext context) {
    Route route = routes.get(route(context));
    return route != null && route.challenge().equals(challenge);
  }

  /**
   * The challenge this route was last paid with on {@code key}'s channel while it stays valid (what
   * an in-stream voucher is bound to, as mppx's client does).
   */
  Optional<Challenge> lastPaid(PaymentContext context, ChannelKey key) {
    Route route = routes.get(route(context));
    if (route != null && route.key().equals(key) && fresh(route.challenge())) {
      return Optional.of(route.challenge());
    }
    return Optional.empty();
  }

  /** Records the server's answer to {@code authorization}. */
  void remember(SessionAuthorization authorization, boolean accepted) {
    PaymentContext context = authorization.context();
    if (context == null) {
      return;
    }
    if (routes.size() >= MAX_ROUTES) {
      routes.clear();
    }
    routes.compute(
        route(context),
        (route, old) -> {
          if (!accepted) {
            // Refused the first time: the server does not take earlier challenges; probe from
            // now on. Refused after it did: the route changed; forget the challenge and measure
            // again with the next one paid.
            if (old == null || Boolean.TRUE.equals(old.accepts())) {
              return null;
            }
            return new Route(old.challenge(), old.key(), Boolean.FALSE);
          }
          Boolean accepts =
              authorization.isUpfront() ? Boolean.TRUE : old == null ? null : old.accepts();
          return new Route(authorization.challenge(), authorization.key(), accepts);
        });
  }

  /** Whether {@code challenge} stays valid for at least the configured margin. */
  private boolean fresh(Challenge challenge) {
    Optional<Instant> expires = challenge.expires();
    return expires.isPresent() && expires.get().isAfter(now().plus(config.upfrontMargin()));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String route(PaymentContext context) {
    return context.agent() + " " + context.httpMethod() + " " + context.safeUrl();
  }
}
