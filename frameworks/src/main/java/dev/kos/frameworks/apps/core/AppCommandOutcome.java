package dev.kos.frameworks.apps.core;

import java.util.List;
import java.util.Map;

/** The answer to a command. */
public sealed interface AppCommandOutcome {

  /**
   * The new desired apps, the deployment id to answer with, and kills to carry out now (apply them to the
   * instances with {@link Instances#afterPlan} before the next plan, so that the planner sees them going).
   */
  record Accepted(Map<String, AppDefinition> apps, String deploymentId, List<AppDecision.Kill> kills)
      implements AppCommandOutcome {

    public Accepted {
      apps = Map.copyOf(apps);
      kills = List.copyOf(kills);
    }
  }

  /** Why nothing changed, in words a person can act on. */
  record Rejected(String reason) implements AppCommandOutcome {
  }

  /** A command answered before (delivered again): answered as then, and nothing is done again. */
  record Replayed(HandledCommand original) implements AppCommandOutcome {
  }
}
