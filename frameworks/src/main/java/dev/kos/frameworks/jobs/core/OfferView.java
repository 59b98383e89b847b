package dev.kos.frameworks.jobs.core;

import dev.kos.model.Resources;
/** An offer as the jobs core needs it: where, and how much. */
public record OfferView(String offerId, String agentId, Resources resources) {
}
