package dev.kos.frameworks.apps.core;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The planner's answer: decisions in the order the shell should carry them out. */
public record Plan(List<AppDecision> decisions) {

  public Plan {
    decisions = List.copyOf(decisions);
  }

  public <T extends AppDecision> List<T> all(Class<T> type) {
    return decisions.stream().filter(type::isInstance).map(type::cast).toList();
  }

  public List<AppDecision.Launch> launches() {
    return all(AppDecision.Launch.class);
  }


  public List<AppDecision.Unplaced> unplaced() {
    return all(AppDecision.Unplaced.class);
  }

  /** Some instance still waits for an offer: the shell should keep (or start) receiving offers. */
  public boolean wantsOffers() {
    return !unplaced().isEmpty();
  }

  /**
   * When a backoff ends or a staging task's time is up, and the planner should run again even if nothing
   * else happens.
   */
  public Optional<Instant> wakeUpAt() {
    return Stream.concat(all(AppDecision.Delayed.class).stream().map(AppDecision.Delayed::until),
        all(AppDecision.AwaitingStatus.class).stream().map(AppDecision.AwaitingStatus::deadline)).min(Instant::compareTo);
  }
}
