package dev.kos.allocator.scaling;

import dev.kos.model.ScalingPolicy;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The per-instance value of a policy's metric, from the app's fresh samples (the caller keeps only each
 * source's latest sample and only fresh ones):
 *
 * <ul>
 *   <li>if a SERVICE sample carries the metric, it is the service's own total: the sum over service sources,
 *       divided by the app's current instances;</li>
 *   <li>otherwise the average of the app's TASK samples that carry the metric (one per task).</li>
 * </ul>
 *
 * @param perInstance the value the policy compares to its target
 * @param total       perInstance times the instances it speaks for
 * @param sources     how many samples it came from
 * @param how         the rule used, for the decision's reason
 */
public record Observation(double perInstance, double total, int sources, String how) {

  public static Optional<Observation> of(String metric, int instances, Collection<Sample> samples) {
    double serviceTotal = 0;
    int services = 0;
    double taskSum = 0;
    int tasks = 0;
    for (Sample sample : samples) {
      Double value = sample.values().get(metric);
      if (value == null || !Double.isFinite(value)) {
        continue;
      }
      if (sample.kind() == Sample.Kind.SERVICE) {
        serviceTotal += value;
        services++;
      } else {
        taskSum += value;
        tasks++;
      }
    }
    if (services > 0 && instances > 0) {
      return Optional.of(new Observation(serviceTotal / instances, serviceTotal, services,
          "the service reports a total of " + ScalingPolicy.number(serviceTotal) + " over " + instances + " instances"));
    }
    if (tasks > 0) {
      return Optional.of(new Observation(taskSum / tasks, taskSum, tasks,
          "the average of " + tasks + " task samples"));
    }
    return Optional.empty();
  }

  /** The values a decision records: per instance, total and source count under the metric's name. */
  Map<String, Double> asMetrics(String metric) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(metric, perInstance);
    metrics.put(metric + ".total", total);
    metrics.put("samples", (double) sources);
    return metrics;
  }
}
