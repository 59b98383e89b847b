package dev.kos.allocator.scaling;

import dev.kos.model.Resources;
import dev.kos.model.ScalingPolicy;
import java.util.Objects;

/**
 * What the autoscaler needs of an app: its wanted instance count, its policy (null: not scaled), how many
 * of its instances wait unplaced and what one instance needs, for the cluster advisor.
 */
public record ScalableApp(String appId, String role, int instances, ScalingPolicy policy, int unplacedInstances,
    Resources perInstance) {

  public ScalableApp {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(perInstance, "perInstance");
    if (instances < 0 || unplacedInstances < 0) {
      throw new IllegalArgumentException("app " + appId + " has a negative instance count");
    }
  }

  public static ScalableApp of(String appId, int instances, ScalingPolicy policy) {
    return new ScalableApp(appId, "*", instances, policy, 0, Resources.NONE);
  }

  public ScalableApp withUnplaced(int unplaced, Resources each) {
    return new ScalableApp(appId, role, instances, policy, unplaced, each);
  }
}
