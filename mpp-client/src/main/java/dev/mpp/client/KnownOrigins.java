package dev.mpp.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The origins that have sent a flow a Payment challenge, which decide where {@link
 * PaymentFlow.AcceptPaymentMode#KNOWN_ORIGINS} advertises {@code Accept-Payment}. Thread-safe and
 * only ever grows, up to {@value #MAX_ORIGINS} origins: a client that wanders over many hosts must
 * not grow without bound, and forgetting nothing keeps the advertisement stable.
 */
final class KnownOrigins {
  static final int MAX_ORIGINS = 10_000;

  private final Set<String> origins = ConcurrentHashMap.newKeySet();

  /** Remembers {@code origin} unless the set is full (a race may let it exceed by a few). */
  void add(String origin) {
    if (origins.size() < MAX_ORIGINS) {
      origins.add(origin);
    }
  }

  boolean contains(String origin) {
    return origins.contains(origin);
  }
}
