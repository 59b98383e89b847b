package dev.kos.frameworks.apps.core;

import dev.kos.model.ScalingPolicy;
import java.util.Optional;

/** What a user asks of the apps framework. */
public sealed interface AppCommand {

  /** The app the command is about, or for {@link KillInstance} the task or instance id. */
  String target();

  /** The command in a few words, for status events and logs. */
  String summary();

  /** Create an app. */
  record Deploy(AppDefinition app) implements AppCommand {
    @Override
    public String target() {
      return app.id();
    }

    @Override
    public String summary() {
      return "deploy " + app.instances() + " instances";
    }
  }

  /** Replace an app's definition: a rolling upgrade, unless only the instance count changed. */
  record Update(AppDefinition app) implements AppCommand {
    @Override
    public String target() {
      return app.id();
    }

    @Override
    public String summary() {
      return "update to a new definition with " + app.instances() + " instances";
    }
  }

  /** Set or clear the autoscaling policy; what runs does not change. */
  record SetScaling(String appId, Optional<ScalingPolicy> policy) implements AppCommand {
    @Override
    public String target() {
      return appId;
    }

    @Override
    public String summary() {
      return policy.map(p -> "scale on " + p.metric() + " toward " + p.target() + " per instance, "
          + p.minInstances() + " to " + p.maxInstances() + (p.automatic() ? ", automatically" : ", advisory"))
          .orElse("no more autoscaling");
    }
  }

  record Scale(String appId, int instances) implements AppCommand {
    @Override
    public String target() {
      return appId;
    }

    @Override
    public String summary() {
      return "scale to " + instances;
    }
  }

  /** Replace every instance, as a rolling upgrade to a new version of the same definition. */
  record Restart(String appId) implements AppCommand {
    @Override
    public String target() {
      return appId;
    }

    @Override
    public String summary() {
      return "restart every instance";
    }
  }

  /** Kill every instance and forget the app. */
  record Remove(String appId) implements AppCommand {
    @Override
    public String target() {
      return appId;
    }

    @Override
    public String summary() {
      return "remove the app";
    }
  }

  /** Kill one instance (by task id or instance id); it is replaced unless {@code scale} lowers the count. */
  record KillInstance(String taskId, boolean scale) implements AppCommand {
    @Override
    public String target() {
      return taskId;
    }

    @Override
    public String summary() {
      return "kill " + taskId + (scale ? " and scale down by one" : ", to be replaced");
    }
  }
}
