package dev.kos.allocator.scaling;

import dev.kos.model.ScalingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Target tracking for one app, evaluated once per tick:
 *
 * <ol>
 *   <li>recommend {@code ceil(current × observed / target)}, or {@code current} while the ratio is within the
 *       tolerance or nothing was observed; clamp to [min, max];</li>
 *   <li>stabilize: up only to the lowest recommendation of the up-window, down only to the highest of the
 *       down-window; the part of a window before tracking began counts as {@code current}, so a spike shorter
 *       than the window does nothing even right after start;</li>
 *   <li>limit the step to +maxStepUp / -maxStepDown;</li>
 *   <li>decide only if that differs from current and the cooldown since the last decision has passed.</li>
 * </ol>
 *
 * Not thread-safe; one per app, owned by {@link Autoscaler}.
 */
final class ServiceScaler {

  private record Recommendation(Instant at, int instances) {
  }

  private final ScalingPolicy policy;
  private final Instant trackedSince;
  private final Deque<Recommendation> history = new ArrayDeque<>();
  private Instant lastDecision;

  ServiceScaler(ScalingPolicy policy, Instant trackedSince) {
    this.policy = policy;
    this.trackedSince = trackedSince;
  }

  ScalingPolicy policy() {
    return policy;
  }

  Optional<Decision> evaluate(ScalableApp app, Optional<Observation> observed, Instant now) {
    int current = app.instances();
    StringBuilder reason = new StringBuilder();
    int recommended = clamp(recommend(current, observed, reason), reason);
    history.addLast(new Recommendation(now, recommended));
    Instant keepFrom = now.minus(policy.upWindow().compareTo(policy.downWindow()) > 0
        ? policy.upWindow() : policy.downWindow());
    while (history.peekFirst().at().isBefore(keepFrom)) {
      history.removeFirst();
    }
    int desired = stabilize(current, recommended, now, reason);
    int to = Math.max(current - policy.maxStepDown(), Math.min(current + policy.maxStepUp(), desired));
    if (to != desired) {
      reason.append("; limited to ").append(to > current ? "+" + policy.maxStepUp() : "-" + policy.maxStepDown())
          .append(" per decision");
    }
    if (to == current || (lastDecision != null && now.isBefore(lastDecision.plus(policy.cooldown())))) {
      return Optional.empty();
    }
    lastDecision = now;
    Map<String, Double> metrics = new LinkedHashMap<>(observed.map(o -> o.asMetrics(policy.metric())).orElse(Map.of()));
    metrics.put("target", policy.target());
    return Optional.of(new Decision(app.appId(), Decision.Kind.SERVICE, current, to,
        "scale " + app.appId() + " from " + current + " to " + to + ": " + reason, policy.describe(), policy.mode(),
        metrics, now));
  }

  private int recommend(int current, Optional<Observation> observed, StringBuilder reason) {
    if (observed.isEmpty()) {
      reason.append("no fresh ").append(policy.metric()).append(" sample");
      return current;
    }
    Observation o = observed.get();
    double ratio = o.perInstance() / policy.target();
    reason.append(policy.metric()).append(" is ").append(ScalingPolicy.number(o.perInstance()))
        .append(" per instance (").append(o.how()).append(") against a target of ")
        .append(ScalingPolicy.number(policy.target()));
    if (Math.abs(ratio - 1) <= policy.tolerance()) {
      reason.append(", within the tolerance of ").append(ScalingPolicy.number(policy.tolerance()));
      return current;
    }
    int wanted = (int) Math.min(Integer.MAX_VALUE, Math.ceil(current * ratio - 1e-9));
    reason.append(": ceil(").append(current).append(" × ").append(ScalingPolicy.number(ratio)).append(") = ").append(wanted);
    return wanted;
  }

  private int clamp(int wanted, StringBuilder reason) {
    if (wanted > policy.maxInstances()) {
      reason.append(", capped at maxInstances ").append(policy.maxInstances());
      return policy.maxInstances();
    }
    if (wanted < policy.minInstances()) {
      reason.append(", raised to minInstances ").append(policy.minInstances());
      return policy.minInstances();
    }
    return wanted;
  }

  private int stabilize(int current, int recommended, Instant now, StringBuilder reason) {
    int upBound = extreme(policy.upWindow(), now, current, true);
    int downBound = extreme(policy.downWindow(), now, current, false);
    int desired = current;
    if (desired < upBound) {
      desired = upBound;
    }
    if (desired > downBound) {
      desired = downBound;
    }
    if (desired != recommended && desired != current) {
      reason.append("; stabilized to ").append(desired).append(" over the ")
          .append(desired > current ? policy.upWindow().toSeconds() + "s scale-up" : policy.downWindow().toSeconds()
              + "s scale-down").append(" window");
    }
    return desired;
  }

  /**
   * The lowest (scale-up) or highest (scale-down) recommendation within the window ending now; a window
   * reaching back before tracking began also holds {@code current}.
   */
  private int extreme(Duration window, Instant now, int current, boolean lowest) {
    Instant from = now.minus(window);
    int result = history.peekLast().instances();
    for (Recommendation r : history) {
      if (!r.at().isBefore(from)) {
        result = lowest ? Math.min(result, r.instances()) : Math.max(result, r.instances());
      }
    }
    if (from.isBefore(trackedSince)) {
      result = lowest ? Math.min(result, current) : Math.max(result, current);
    }
    return result;
  }
}
