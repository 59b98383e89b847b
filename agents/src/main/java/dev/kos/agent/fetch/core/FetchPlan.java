package dev.kos.agent.fetch.core;

import dev.kos.model.Artifact;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent does for a task's artifacts, in order: each from the cache when its sha256 is given and cached,
 * else downloaded. An artifact without a sha256 is always downloaded: nothing says its URI still serves the bytes
 * it served before. Two artifacts that would write the same file are refused before anything is fetched.
 */
public final class FetchPlan {

  private FetchPlan() {
  }

  /** One artifact and where its bytes come from. */
  public record Step(Artifact artifact, boolean fromCache) {
  }

  /** The plan, or why the task's artifacts cannot all be fetched. */
  public sealed interface Result {
    record Planned(List<Step> steps) implements Result {
      public Planned {
        steps = List.copyOf(steps);
      }
    }

    record Refused(String reason) implements Result {
    }
  }

  public static Result of(List<Artifact> artifacts, Set<String> cachedSha256) {
    Optional<String> clash = Artifact.clash(artifacts);
    if (clash.isPresent()) {
      return new Result.Refused(clash.get());
    }
    List<Step> steps = new ArrayList<>();
    for (Artifact artifact : artifacts) {
      steps.add(new Step(artifact, artifact.sha256().filter(cachedSha256::contains).isPresent()));
    }
    return new Result.Planned(steps);
  }
}
