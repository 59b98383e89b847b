package dev.kos.frameworks.apps.core;

import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** What a {@link Plan} asks the shell to do, or tells the user; every decision is a value. */
public sealed interface AppDecision {

  /**
   * Launch task {@code instanceId.attempt} on an offer. With {@code reserveAndCreate} the shell first
   * reserves {@code resources} for the app's role and creates {@code volumes} (a stateful instance's first
   * launch on this agent); otherwise {@code volumes} already exist there and are handed back.
   */
  record Launch(String instanceId, int attempt, String appId, String version, String offerId, Agent agent,
      Resources resources, List<Integer> ports, List<InstanceVolume> volumes, boolean reserveAndCreate,
      boolean healthChecked) implements AppDecision {

    public Launch {
      ports = List.copyOf(ports);
      volumes = List.copyOf(volumes);
    }

    public String taskId() {
      return Instance.taskId(instanceId, attempt);
    }
  }

  /** Kill an instance's current task on its agent. */
  record Kill(String instanceId, String taskId, String agentId, String reason) implements AppDecision {
  }

  /** Refuse an offer nothing was placed on; the allocator holds the agent back for {@code refuse}. */
  record Decline(String offerId, Duration refuse) implements AppDecision {
  }

  /** Forget an ended instance the app no longer needs (a stateful one's volumes stay reserved). */
  record Expunge(String instanceId, String reason) implements AppDecision {
  }

  /** An ended instance waits before its relaunch (exponential backoff); plan again at {@code until}. */
  record Delayed(String instanceId, String appId, Instant until, String reason) implements AppDecision {
  }

  /**
   * A launched task no agent has reported on yet: it is waited for until {@code deadline}, when the planner
   * kills it (in case its launch still arrives) and replaces it. Plan again at {@code deadline}.
   */
  record AwaitingStatus(String instanceId, String taskId, String appId, Instant deadline) implements AppDecision {
  }

  /**
   * A stateful instance's agent has been lost for longer than the residency timeout: it is placed
   * elsewhere with new, empty volumes, and its old ones are given up.
   */
  record ResidencyAbandoned(String instanceId, String appId, String agentId, Instant lostSince, String reason)
      implements AppDecision {
  }

  /**
   * Instances that no offer could take, with every veto aggregated; {@code capacityWouldHelp} tells a
   * scaler whether more agents could place them (some offer was vetoed only DYNAMIC, or there were none).
   */
  record Unplaced(String appId, int count, int offers, List<VetoSummary> reasons, boolean capacityWouldHelp)
      implements AppDecision {

    public Unplaced {
      reasons = List.copyOf(reasons);
    }

    /** E.g. {@code 2 instances of /web unplaced: UNIQUE hostname: already runs an instance (3 of 3 agents...)}. */
    public String message() {
      String why = offers == 0 ? "no offers to place them on"
          : reasons.stream().map(summary -> summary.describe(offers)).collect(Collectors.joining("; "));
      return count + (count == 1 ? " instance of " : " instances of ") + appId + " unplaced: " + why
          + (capacityWouldHelp ? "; more capacity would help" : "; more capacity would not help");
    }
  }

  /** One kind of veto across the offers of one plan. */
  record VetoSummary(String rule, String reason, Verdict.Kind kind, List<String> agentIds) {

    public VetoSummary {
      agentIds = List.copyOf(agentIds);
    }

    String describe(int offers) {
      return rule + ": " + reason + " (" + agentIds.size() + " of " + offers + " agents: "
          + String.join(", ", agentIds) + ")";
    }
  }
}
