package dev.kos.allocator.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * When frameworks were last heard of on {@code kos.frameworks}, and which of them stayed away longer than
 * their failover timeout, as Mesos's master tracks them. A heartbeat only says the framework is alive; a
 * changed registration (a new {@code registeredAt}, suppression, role or weight) is what the allocator applies.
 * After a restart every known framework counts as heard at that moment, as agents do.
 *
 * <p>No clock: every call takes {@code now}. Not thread-safe: the shell owns one per stream task.
 *
 * @param <R> a registration as the shell compares them: equal when nothing but the heartbeat changed
 */
public final class FrameworkFailover<R> {

  private final Map<String, R> registrations = new HashMap<>();
  private final Map<String, Duration> timeouts = new HashMap<>();
  private final Map<String, Instant> heard = new HashMap<>();
  private final Set<String> failedOver = new HashSet<>();

  /**
   * Notes a framework's registration or heartbeat; true when it is a registration the allocator must apply: new,
   * changed, or from a framework that was failed over and is back.
   */
  public boolean heard(String frameworkId, R registration, Duration failoverTimeout, Instant now) {
    R previous = registrations.put(frameworkId, registration);
    timeouts.put(frameworkId, failoverTimeout);
    heard.put(frameworkId, now);
    boolean back = failedOver.remove(frameworkId);
    return back || !Objects.equals(previous, registration);
  }

  /** A sign of life from a known framework that changes nothing else (a record the allocator had to ignore). */
  public void alive(String frameworkId, Instant now) {
    if (registrations.containsKey(frameworkId)) {
      heard.put(frameworkId, now);
    }
  }

  public void removed(String frameworkId) {
    registrations.remove(frameworkId);
    timeouts.remove(frameworkId);
    heard.remove(frameworkId);
    failedOver.remove(frameworkId);
  }

  /** Frameworks silent for longer than their failover timeout by {@code now}, each reported once. */
  public List<String> failingOver(Instant now) {
    List<String> due = new ArrayList<>();
    heard.forEach((id, last) -> {
      if (!failedOver.contains(id) && last.plus(timeout(id)).isBefore(now)) {
        due.add(id);
      }
    });
    failedOver.addAll(due);
    return due;
  }

  public Duration timeout(String frameworkId) {
    return timeouts.get(frameworkId);
  }
}
