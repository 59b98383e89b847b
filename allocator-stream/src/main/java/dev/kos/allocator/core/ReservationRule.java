package dev.kos.allocator.core;

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

  /** One reservation operation of an accept: reserve (or unreserve) {@code resources} of the agent for a role. */
  public record Change(boolean reserve, String role, Resources resources) {
    public Change {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(resources, "resources");
    }
  }

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

  /**
   * Applies an accept's reservation changes to the core.
   *
   * @param outstanding the framework each of the accept's offers is outstanding to, as the shell's books say; an
   *     offer missing here is not outstanding
   */
  public static Outcome apply(Allocator core, String frameworkId, String agentId, List<String> offerIds,
      Map<String, String> outstanding, List<Change> changes, Instant now) {
    // Only the framework's own outstanding offers: another's would be used up for it, and reserved away from it.
    List<String> unknown = offerIds.stream().filter(id -> !frameworkId.equals(outstanding.get(id))).toList();
    if (!unknown.isEmpty()) {
      return new Outcome(unknown, Decisions.NONE, "offers " + unknown + " are not outstanding to framework "
          + frameworkId + " (expired, rescinded, used, or made to another framework)", Optional.empty());
    }
    Decisions declined = core.decline(frameworkId, offerIds, Duration.ZERO, now);
    List<Rescind> rescinds = new ArrayList<>(declined.rescinds());
    Rejection refused = null;
    for (Change change : changes) {
      Decisions changed = change.reserve()
          ? core.reserve(agentId, change.role(), change.resources())
          : core.unreserve(agentId, change.role(), change.resources());
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
}
