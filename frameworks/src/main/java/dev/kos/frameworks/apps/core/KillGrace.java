package dev.kos.frameworks.apps.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * When each kill goes out. An instance leaves {@code kos.endpoints} in the state write before its kill, but a
 * balancer reads that record a moment later and may still be sending it requests: an instance that served is
 * killed only {@code grace} after it left, so balancers drop it first and its requests in flight finish. An
 * instance that never served (starting, unhealthy) got no traffic and is killed at once. Pure: the shell keeps the
 * pending kills and wakes up when the next is due.
 */
public final class KillGrace {

  /** The default grace: well above the time a balancer takes to read a record (milliseconds), short for a deploy. */
  public static final Duration DEFAULT = Duration.ofSeconds(2);

  /** A kill and the moment it may go out. */
  public record Pending(AppDecision.Kill kill, Instant due) {
  }

  /** The kills due now, those still waiting, and when the next one is due. */
  public record Due(List<AppDecision.Kill> now, List<Pending> later, Optional<Instant> next) {

    public Due {
      now = List.copyOf(now);
      later = List.copyOf(later);
    }
  }

  private KillGrace() {
  }

  /**
   * The kills decided at {@code now}, each with its due time.
   *
   * @param before the instances as they were before the decision (whether each served then)
   */
  public static List<Pending> schedule(List<AppDecision.Kill> kills, List<Instance> before, Instant now,
      Duration grace) {
    Map<String, Instance> byTask = before.stream()
        .collect(Collectors.toMap(Instance::taskId, Function.identity(), (a, b) -> a));
    return kills.stream()
        .map(kill -> new Pending(kill, Optional.ofNullable(byTask.get(kill.taskId())).filter(Instance::serves)
            .isPresent() ? now.plus(grace) : now))
        .toList();
  }

  /** Splits {@code pending} into the kills due at {@code now} and the rest. */
  public static Due due(List<Pending> pending, Instant now) {
    List<AppDecision.Kill> due = new ArrayList<>();
    List<Pending> later = new ArrayList<>();
    for (Pending p : pending) {
      if (p.due().isAfter(now)) {
        later.add(p);
      } else {
        due.add(p.kill());
      }
    }
    return new Due(due, later, later.stream().map(Pending::due).min(Comparator.naturalOrder()));
  }
}
