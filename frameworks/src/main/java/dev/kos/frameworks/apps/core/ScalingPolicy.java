package dev.kos.frameworks.apps.core;

import java.time.Duration;

/**
 * How the autoscaler sizes an app (target tracking on one metric, as Kubernetes' HorizontalPodAutoscaler).
 * The apps framework only keeps and validates it; the allocator stream's autoscaler acts on it.
 *
 * @param automatic whether the autoscaler sends the scale command itself, or only advises an operator
 */
public record ScalingPolicy(String metric, double target, int minInstances, int maxInstances, double tolerance,
    int maxStepUp, int maxStepDown, Duration cooldown, Duration scaleUpStabilization,
    Duration scaleDownStabilization, boolean automatic) {
}
