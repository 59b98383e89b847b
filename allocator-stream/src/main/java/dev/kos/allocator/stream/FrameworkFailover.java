package dev.kos.allocator.stream;

import dev.kos.schema.FrameworkInfo;
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
 */
final class FrameworkFailover {

  private final Map<String, FrameworkInfo> registrations = new HashMap<>();
  private final Map<String, Instant> heard = new HashMap<>();
  private final Set<String> failedOver = new HashSet<>();

  /**
   * Notes a framework's record; true when it is a registration the allocator must apply: new, changed, or
   * from a framework that was failed over and is back.
   */
  boolean heard(FrameworkInfo info, Instant now) {
    String id = info.getFrameworkId();
    FrameworkInfo registration = FrameworkInfo.newBuilder(info).setHeartbeatAt(null).build();
    FrameworkInfo previous = registrations.put(id, registration);
    heard.put(id, now);
    boolean back = failedOver.remove(id);
    return back || !Objects.equals(previous, registration);
  }

  /** A sign of life from a known framework that changes nothing else (a record the allocator had to ignore). */
  void alive(String frameworkId, Instant now) {
    if (registrations.containsKey(frameworkId)) {
      heard.put(frameworkId, now);
    }
  }

  void removed(String frameworkId) {
    registrations.remove(frameworkId);
    heard.remove(frameworkId);
    failedOver.remove(frameworkId);
  }

  /** Frameworks silent for longer than their failover timeout by {@code now}, each reported once. */
  List<String> failingOver(Instant now) {
    List<String> due = new ArrayList<>();
    heard.forEach((id, last) -> {
      if (!failedOver.contains(id) && last.plus(timeout(id)).isBefore(now)) {
        due.add(id);
      }
    });
    failedOver.addAll(due);
    return due;
  }

  Duration timeout(String frameworkId) {
    return Duration.ofMillis(registrations.get(frameworkId).getFailoverTimeoutMs());
  }
}
