package dev.kos.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An offer as a framework sees it: an agent's free resources, and apart from them what is reserved there for the
 * framework's roles (a framework's reservation, offered back to it for a (re)launch).
 *
 * @param unreserved   what is free on the agent for any role
 * @param reservations what is reserved there, per role
 * @param attributes   the agent's attributes, such as {@code rack}
 */
public record OfferView(String offerId, String frameworkId, String agentId, String hostname, Resources unreserved,
    List<Reservation> reservations, Map<String, String> attributes, Instant createdAt, Instant expiresAt) {

  public OfferView {
    Objects.requireNonNull(offerId, "offerId");
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(unreserved, "unreserved");
    reservations = List.copyOf(reservations);
    attributes = Map.copyOf(attributes);
  }

  /** An offer of an agent's free resources only: no reservations, no attributes, no expiry to speak of. */
  public static OfferView of(String offerId, String agentId, Resources unreserved) {
    return new OfferView(offerId, "", agentId, agentId, unreserved, List.of(), Map.of(), Instant.EPOCH,
        Instant.EPOCH);
  }

  /** What is reserved in this offer, over all roles. */
  public Resources reserved() {
    return reservations.stream().map(Reservation::resources).reduce(Resources.NONE, Resources::plus);
  }

  /** Everything the offer holds: unreserved and reserved. */
  public Resources total() {
    return unreserved.plus(reserved());
  }

  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /** Whether the offering agent runs container tasks ({@link ContainerSpec#RUNTIME_ATTRIBUTE}). */
  public boolean runsContainers() {
    return attribute(ContainerSpec.RUNTIME_ATTRIBUTE).isPresent();
  }
}
