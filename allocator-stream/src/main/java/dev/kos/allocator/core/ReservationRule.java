package dev.kos.allocator.core;

import dev.kos.model.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An accept that reserves or unreserves uses its offers up (Marathon's resident tasks work this way): the offered
 * resources go back to the free pools, the reservations change, the accept's volume operations go to the agent,
 * and the next offer to the framework holds the reserved resources to launch on. A launch in the same accept is
 * dropped with a reason that says so. No clock, no I/O: the shell carries out the {@link Outcome}.
 */
public final class ReservationRule {

  /**
   * What the shell does.
   *
   * @param notOutstanding the accept's offers not outstanding to its framework; if any, nothing was done
   * @param decisions the core's decisions to publish: handing the offers back, and the rescinds of the agent's
   *     other offers that a reservation change (even a refused one) counted anew (the shell deletes the accept's
   *     offers either way when {@link #offersUsed()})
   * @param dropReason why the accept's launches, if any, are dropped
   * @param refused the first reservation change the core refused: then the volume operations are not carried out
   */
  public record Outcome(List<String> notOutstanding, Decisions decisions, String dropReason,
      Optional<Rejection> refused) {
    public Outcome {
      notOutstanding = List.copyOf(notOutstanding);
      Objects.requireNonNull(decisions, "decisions");
      Objects.requireNonNull(dropReason, "dropReason");
      Objects.requireNonNull(refused, "refused");
    }

    /** The accept's offers are used up: the shell forgets them. */
    public boolean offersUsed() {
      return notOutstanding.isEmpty();
    }

    /** The accept's volume operations go to the agent. */
    public boolean volumesGo() {
      return notOutstanding.isEmpty() && refused.isEmpty();
    }
  }

  private ReservationRule() {
  }

  private static void requireReservationChange(Operation operation) {
    if (!(operation instanceof Operation.Reserve) && !(operation instanceof Operation.Unreserve)) {
      throw new IllegalArgumentException("ReservationRule applies reserve and unreserve operations only, not "
          + operation);
    }
  }

  private static boolean ownOffer(Offer offer, String frameworkId, String agentId) {
    return offer != null && offer.frameworkId().equals(frameworkId) && offer.agentId().equals(agentId);
  }

  /**
   * Applies an accept's reservation changes to the core.
   *
   * @param outstanding the accept's offers that are outstanding, as the shell's books say, by id; an offer
   *     missing here is not outstanding
   * @param changes the accept's reservation changes, each an {@link Operation.Reserve} or
   *     {@link Operation.Unreserve}; its other operations are the shell's to carry out
   * @throws IllegalArgumentException if a change is another kind of operation
   */
  public static Outcome apply(Allocator core, String frameworkId, String agentId, List<String> offerIds,
      Map<String, Offer> outstanding, List<? extends Operation> changes, Instant now) {
    changes.forEach(ReservationRule::requireReservationChange);
    // Only the framework's own outstanding offers of the agent it names: another's would be used up for it, and
    // an agent it holds no offer of would have resources reserved away from under the frameworks offered them.
    List<String> unknown = offerIds.stream().filter(id -> !ownOffer(outstanding.get(id), frameworkId, agentId))
        .toList();
    if (!unknown.isEmpty()) {
      return new Outcome(unknown, Decisions.NONE, "offers " + unknown + " are not outstanding to framework "
          + frameworkId + " on agent " + agentId + " (expired, rescinded, used, made to another framework, or of"
          + " another agent)", Optional.empty());
    }
    Decisions declined = core.decline(frameworkId, offerIds, Duration.ZERO, now);
    List<Rescind> rescinds = new ArrayList<>(declined.rescinds());
    Rejection refused = null;
    for (Operation change : changes) {
      Decisions changed = change(core, agentId, change);
      rescinds.addAll(changed.rescinds());
      if (refused == null && !changed.rejections().isEmpty()) {
        refused = changed.rejections().get(0);
      }
    }
    Decisions decisions = new Decisions(declined.offers(), rescinds, declined.launches(), declined.lostTasks(),
        List.of());
    return new Outcome(List.of(), decisions, "an accept that reserves or unreserves uses up its offers; "
        + "launch on the reserved resources with the next offer", Optional.ofNullable(refused));
  }

  private static Decisions change(Allocator core, String agentId, Operation change) {
    if (change instanceof Operation.Reserve reserve) {
      return core.reserve(agentId, reserve.role(), reserve.resources());
    }
    Operation.Unreserve unreserve = (Operation.Unreserve) change;
    return core.unreserve(agentId, unreserve.role(), unreserve.resources());
  }
}
