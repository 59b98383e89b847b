package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.time.Instant;
import java.util.Map;

/**
 * Resources on one agent offered to one framework: the part reserved for the framework's role and the
 * unreserved part, kept apart so the shell can label them and tests can check reservations stay in their role.
 */
public record Offer(
    String offerId,
    String frameworkId,
    String role,
    String agentId,
    String hostname,
    Resources reserved,
    Resources unreserved,
    Map<String, String> attributes,
    Instant createdAt,
    Instant expiresAt) {

  public Offer {
    attributes = Map.copyOf(attributes);
  }

  public Resources resources() {
    return reserved.plus(unreserved);
  }
}
