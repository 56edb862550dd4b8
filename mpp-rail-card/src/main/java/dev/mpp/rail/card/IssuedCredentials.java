package dev.mpp.rail.card;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mpp.client.wire.Challenge;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The credentials this rail issued, per challenge, until the challenge expires. Card servers use
 * {@code challenge.id} as their idempotency key (draft-card-charge §8.2): paying the same challenge
 * again must resend the <em>same</em> credential (the server answers with its cached receipt, or
 * 409 when the first attempt failed) rather than spend a second cryptogram.
 */
final class IssuedCredentials {
  private static final int MAX_ENTRIES = 4096;

  private final Duration lifetimeWithoutExpiry;
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();

  private record Issued(ObjectNode payload, Instant until) {}

  IssuedCredentials(Duration lifetimeWithoutExpiry) {
    this.lifetimeWithoutExpiry = lifetimeWithoutExpiry;
  }

  /** The payload issued earlier for {@code challenge}, if it is still current. */
  Optional<ObjectNode> find(Challenge challenge, Instant now) {
    Issued earlier = issued.get(key(challenge));
    if (earlier == null || !now.isBefore(earlier.until())) {
      return Optional.empty();
    }
    return Optional.of(earlier.payload().deepCopy());
  }

  /** Remembers {@code payload} as the credential of {@code challenge}. */
  void remember(Challenge challenge, ObjectNode payload, Instant now) {
    if (issued.size() >= MAX_ENTRIES) {
      issued.values().removeIf(entry -> !now.isBefore(entry.until()));
      if (issued.size() >= MAX_ENTRIES) {
        // Forgetting only costs a second cryptogram if a long-gone challenge comes back.
        issued.clear();
      }
    }
    Instant until = challenge.expires().orElse(now.plus(lifetimeWithoutExpiry));
    issued.put(key(challenge), new Issued(payload.deepCopy(), until));
  }

  private static String key(Challenge challenge) {
    return challenge.realm() + '\0' + challenge.id();
  }
}
