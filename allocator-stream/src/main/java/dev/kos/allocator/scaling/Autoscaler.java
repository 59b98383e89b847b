package dev.kos.allocator.scaling;

import dev.kos.allocator.core.AgentLoad;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The autoscaler's pure core: apps with their policies, each source's latest sample and each agent's load
 * go in as events; {@link #tick} evaluates every policy and the cluster advisor at {@code now} and returns
 * the decisions. No clock, no I/O; replaying the same events and ticks yields the same decisions.
 *
 * <p>Not thread-safe: the shell owns one instance.
 */
public final class Autoscaler {

  private record HeardLoad(AgentLoad load, Instant at) {
  }

  private final ScalingSettings settings;
  private final Map<String, ScalableApp> apps = new HashMap<>();
  private final Map<String, ServiceScaler> scalers = new HashMap<>();
  private final Map<String, Sample> samples = new HashMap<>();
  private final Map<String, HeardLoad> agents = new HashMap<>();
  private final ClusterAdvisor cluster;

  public Autoscaler(ScalingSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.cluster = new ClusterAdvisor(settings);
  }

  /** Adds or updates an app; a changed policy starts its tracking afresh (windows, cooldown). */
  public void appUpdated(ScalableApp app) {
    apps.put(app.appId(), app);
    ServiceScaler scaler = scalers.get(app.appId());
    if (scaler != null && !scaler.policy().equals(app.policy())) {
      scalers.remove(app.appId());
    }
  }

  public void appRemoved(String appId) {
    apps.remove(appId);
    scalers.remove(appId);
  }

  public Optional<ScalableApp> app(String appId) {
    return Optional.ofNullable(apps.get(appId));
  }

  /** Keeps a source's latest sample; an older one arriving late is ignored. */
  public void sampled(Sample sample) {
    samples.merge(sample.sourceId(), sample, (old, now) -> now.at().isBefore(old.at()) ? old : now);
  }

  public void agentReported(AgentLoad load, Instant at) {
    agents.put(load.agentId(), new HeardLoad(load, at));
  }

  public void agentGone(String agentId) {
    agents.remove(agentId);
  }

  /** Evaluates every app with a policy, then the cluster; decisions in target order. */
  public List<Decision> tick(Instant now) {
    Instant freshFrom = now.minus(settings.metricFreshness());
    samples.values().removeIf(sample -> sample.at().isBefore(freshFrom));
    Instant heardFrom = now.minus(settings.agentFreshness());
    agents.values().removeIf(heard -> heard.at().isBefore(heardFrom));
    Map<String, List<Sample>> byApp = new HashMap<>();
    for (Sample sample : samples.values()) {
      if (sample.appId() != null) {
        byApp.computeIfAbsent(sample.appId(), id -> new ArrayList<>()).add(sample);
      }
    }
    List<Decision> decisions = new ArrayList<>();
    for (ScalableApp app : apps.values()) {
      if (app.policy() != null) {
        ServiceScaler scaler = scalers.computeIfAbsent(app.appId(), id -> new ServiceScaler(app.policy(), now));
        Optional<Observation> observed = Observation.of(app.policy().metric(), app.instances(),
            byApp.getOrDefault(app.appId(), List.of()));
        scaler.evaluate(app, observed, now).ifPresent(decisions::add);
      }
    }
    cluster.evaluate(agents.values().stream().map(HeardLoad::load).toList(), apps.values(), now)
        .ifPresent(decisions::add);
    decisions.sort(Comparator.comparing(Decision::target));
    return decisions;
  }
}
