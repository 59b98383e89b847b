package dev.kos.allocator.core;

/** An outstanding offer withdrawn from its framework; its resources are back in the pool. */
public record Rescind(String offerId, String frameworkId, String agentId, String reason) {

  static Rescind of(Offer offer, String reason) {
    return new Rescind(offer.offerId(), offer.frameworkId(), offer.agentId(), reason);
  }
}
