package dev.kos.chaos.history;

import dev.kos.chaos.history.History.AppInstance;
import dev.kos.chaos.history.History.Capacity;
import dev.kos.chaos.history.History.DeadLetterEntry;
import dev.kos.chaos.history.History.Injection;
import dev.kos.chaos.history.History.Launch;
import dev.kos.chaos.history.History.LiveTask;
import dev.kos.chaos.history.History.ProcessSample;
import dev.kos.chaos.history.History.Recovery;
import dev.kos.chaos.history.History.Status;
import dev.kos.frameworks.apps.core.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The invariants of issue 15, A to H, each a pure function of a {@link History}. A check that
 * lacks what it needs (no quiescent sample for D, no recovery for F) fails and says so: a check
 * that cannot fail proves nothing.
 */
public final class Checks {

  private Checks() {
  }

  /**
   * A. Replaying each agent's committed launches and statuses in time order (a task holds its
   * resources from its LaunchTask to its first terminal status), the live tasks never need more
   * than the agent's total, and no port is held by two tasks at once.
   */
  public static Verdict agentCapacity(History history) {
    record Event(long at, int order, Launch launch, Status status) {
    }
    List<Event> events = new ArrayList<>();
    history.launches().forEach(l -> events.add(new Event(l.at(), 0, l, null)));
    history.statuses().stream().filter(Status::terminal).forEach(s -> events.add(new Event(s.at(), 1, null, s)));
    // A status at the same millisecond as a launch came after it: the agent answered the launch.
    events.sort(Comparator.comparingLong(Event::at).thenComparingInt(Event::order));
    Map<String, Map<String, Launch>> live = new HashMap<>();
    List<String> violations = new ArrayList<>();
    long overAllocations = 0;
    long portClashes = 0;
    for (Event event : events) {
      if (event.status() != null) {
        // A terminal status may come for a task its agent never got (the allocator's DROPPED answer to an accept).
        Map<String, Launch> onAgent = live.get(event.status().agentId());
        if (onAgent != null) {
          onAgent.remove(event.status().taskId());
        }
        continue;
      }
      Launch launch = event.launch();
      Map<String, Launch> onAgent = live.computeIfAbsent(launch.agentId(), a -> new LinkedHashMap<>());
      for (Launch other : onAgent.values()) {
        for (int port : launch.ports()) {
          if (other.ports().contains(port)) {
            portClashes++;
            violations.add("port " + port + " on " + launch.agentId() + " given to " + launch.taskId() + " while "
                + other.taskId() + " holds it");
          }
        }
      }
      onAgent.put(launch.taskId(), launch);
      Capacity used = onAgent.values().stream().map(Launch::needs).reduce(new Capacity(0, 0, 0), Capacity::plus);
      Capacity total = history.agentTotals().get(launch.agentId());
      if (total == null) {
        violations.add("launch of " + launch.taskId() + " on " + launch.agentId() + ", an agent that never reported");
        overAllocations++;
      } else if (!used.fitsIn(total)) {
        overAllocations++;
        violations.add("after launching " + launch.taskId() + " agent " + launch.agentId() + " holds " + used
            + " of " + total + " with " + onAgent.keySet());
      }
    }
    return Verdict.of("A", counts("launches", history.launches().size(), "over-allocations", overAllocations,
        "port-clashes", portClashes), violations);
  }

  /** B. Each task id appears in exactly one committed LaunchTask. */
  public static Verdict oneLaunchPerTask(History history) {
    Map<String, Long> perTask = history.launches().stream()
        .collect(Collectors.groupingBy(Launch::taskId, TreeMap::new, Collectors.counting()));
    List<String> violations = perTask.entrySet().stream().filter(e -> e.getValue() > 1)
        .map(e -> e.getKey() + " launched " + e.getValue() + " times").toList();
    return Verdict.of("B", counts("launches", history.launches().size(), "tasks", perTask.size(),
        "duplicates", violations.size()), violations);
  }

  /**
   * C. At every sample, at most one live task per apps instance (the instance id is the task id
   * less its attempt). Processes are counted per task: a wrapper and its children are one.
   */
  public static Verdict oneProcessPerInstance(History history) {
    List<String> violations = new ArrayList<>();
    Set<String> duplicated = new TreeSet<>();
    List<ProcessSample> samples = new ArrayList<>(history.samples());
    history.quiescent().ifPresent(samples::add);
    for (ProcessSample sample : samples) {
      Map<String, List<String>> perInstance = sample.live().stream().filter(t -> t.appId() != null)
          .collect(Collectors.groupingBy(t -> Instance.instanceIdOf(t.taskId()), TreeMap::new,
              Collectors.mapping(t -> t.taskId() + "@" + t.agentId() + " pids " + t.pids(), Collectors.toList())));
      perInstance.forEach((instance, tasks) -> {
        if (tasks.size() > 1) {
          if (duplicated.add(instance)) {
            violations.add("at " + sample.at() + " instance " + instance + " runs " + tasks.size() + " tasks: " + tasks);
          }
        }
      });
    }
    if (samples.isEmpty()) {
      violations.add("no process samples: nothing was watched");
    }
    return Verdict.of("C", counts("samples", samples.size(), "duplicates", duplicated.size()), violations);
  }

  /**
   * D. At quiescence the three views agree: the task processes alive, the non-terminal tasks of
   * kos.tasks, and the live instances of kos.apps.
   */
  public static Verdict quiescentAgreement(History history) {
    if (history.quiescent().isEmpty()) {
      return Verdict.of("D", counts(), List.of("no quiescent sample: the case never settled"));
    }
    Set<String> processes = history.quiescent().get().live().stream().map(LiveTask::taskId)
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> tasks = history.tasks().entrySet().stream().filter(e -> !History.TERMINAL.contains(e.getValue()))
        .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    Set<String> instances = history.instances().stream().filter(AppInstance::live).map(AppInstance::taskId)
        .collect(Collectors.toCollection(TreeSet::new));
    List<String> violations = new ArrayList<>();
    compare("live processes", processes, "non-terminal kos.tasks", tasks, violations);
    compare("non-terminal kos.tasks", tasks, "live kos.apps instances", instances, violations);
    compare("live processes", processes, "live kos.apps instances", instances, violations);
    Set<String> orphans = new TreeSet<>(processes);
    orphans.removeAll(tasks);
    return Verdict.of("D", counts("processes", processes.size(), "tasks", tasks.size(), "instances", instances.size(),
        "orphans", orphans.size()), violations);
  }

  /**
   * E. Every committed LaunchTask gets a status for its task within {@code bound}: a launch with no
   * status is a violation once the history ends more than {@code bound} after it.
   */
  public static Verdict statusWithin(History history, Duration bound) {
    Map<String, List<Long>> statusTimes = history.statuses().stream().collect(Collectors.groupingBy(Status::taskId,
        Collectors.mapping(Status::at, Collectors.toList())));
    List<String> violations = new ArrayList<>();
    long late = 0;
    long pending = 0;
    for (Launch launch : history.launches()) {
      Optional<Long> first = statusTimes.getOrDefault(launch.taskId(), List.of()).stream()
          .filter(at -> at >= launch.at()).min(Long::compare);
      if (first.isPresent()) {
        long waited = first.get() - launch.at();
        if (waited > bound.toMillis()) {
          late++;
          violations.add(launch.taskId() + " on " + launch.agentId() + ": first status " + waited + " ms after its launch");
        }
      } else if (history.endedAt() - launch.at() > bound.toMillis()) {
        late++;
        violations.add(launch.taskId() + " on " + launch.agentId() + ": no status "
            + (history.endedAt() - launch.at()) + " ms after its launch");
      } else {
        pending++;
      }
    }
    return Verdict.of("E", counts("launches", history.launches().size(), "late", late, "pending", pending),
        violations);
  }

  /** F. After the fault healed, the canary was answered within {@code bound} and no consumer lags. */
  public static Verdict recovered(History history, Duration bound) {
    if (history.recovery().isEmpty()) {
      return Verdict.of("F", counts(), List.of("no recovery recorded: the case never healed its fault"));
    }
    Recovery recovery = history.recovery().get();
    List<String> violations = new ArrayList<>();
    long recoverMs = -1;
    if (recovery.canaryAnsweredAt().isEmpty()) {
      violations.add("the canary command was never answered");
    } else {
      recoverMs = recovery.canaryAnsweredAt().getAsLong() - recovery.healedAt();
      if (recoverMs > bound.toMillis()) {
        violations.add("the canary was answered " + recoverMs + " ms after the fault healed, more than " + bound);
      }
    }
    Map<String, Long> lagging = new TreeMap<>();
    recovery.lag().forEach((partition, lag) -> {
      if (lag > 0) {
        lagging.put(partition, lag);
      }
    });
    if (!lagging.isEmpty()) {
      violations.add("consumers still lag: " + lagging);
    }
    return Verdict.of("F", counts("recover-ms", recoverMs, "lagging-partitions", lagging.size()), violations);
  }

  /**
   * G. Each injected bad record yields a dead letter with a reason, and no consumer dead-letters
   * it twice (several consumers of one topic may each dead-letter it once). A dead letter of a
   * consumer that read the record as a table row, and so does not know its position, counts for the
   * injection of its topic and key: a case injects one bad record per key on such a topic.
   */
  public static Verdict deadLetterPerInjection(History history) {
    Map<String, List<DeadLetterEntry>> byRecord = history.deadLetters().stream()
        .collect(Collectors.groupingBy(d -> d.positionUnknown() ? d.topic() + "/key " + d.key()
            : d.topic() + "/" + d.partition() + "@" + d.offset()));
    List<String> violations = new ArrayList<>();
    long missing = 0;
    long duplicates = 0;
    long unexplained = 0;
    for (Injection injection : history.injections()) {
      String at = injection.topic() + "/" + injection.partition() + "@" + injection.offset();
      List<DeadLetterEntry> letters = new ArrayList<>(byRecord.getOrDefault(at, List.of()));
      if (injection.key() != null) {
        letters.addAll(byRecord.getOrDefault(injection.topic() + "/key " + injection.key(), List.of()));
      }
      if (letters.isEmpty()) {
        missing++;
        violations.add(injection.kind() + " at " + at + ": no dead letter");
      }
      Map<String, Long> perConsumer = letters.stream()
          .collect(Collectors.groupingBy(DeadLetterEntry::consumer, TreeMap::new, Collectors.counting()));
      for (Map.Entry<String, Long> entry : perConsumer.entrySet()) {
        if (entry.getValue() > 1) {
          duplicates++;
          violations.add(injection.kind() + " at " + at + ": " + entry.getValue() + " dead letters from " + entry.getKey());
        }
      }
      for (DeadLetterEntry letter : letters) {
        if (letter.reason() == null || letter.reason().isBlank()) {
          unexplained++;
          violations.add(injection.kind() + " at " + at + ": dead letter from " + letter.consumer() + " without a reason");
        }
      }
    }
    return Verdict.of("G", counts("injections", history.injections().size(), "dead-letters",
        history.deadLetters().size(), "missing", missing, "duplicates", duplicates, "unexplained", unexplained),
        violations);
  }

  /** H. Once the case removed its apps and stopped, no task process of it is left. */
  public static Verdict noOrphans(History history) {
    if (history.teardown().isEmpty()) {
      return Verdict.of("H", counts(), List.of("no teardown sample taken"));
    }
    List<String> violations = history.teardown().get().live().stream()
        .map(t -> "task " + t.taskId() + " of agent " + t.agentId() + " still runs as pids " + t.pids()).toList();
    return Verdict.of("H", counts("orphans", violations.size()), violations);
  }

  /**
   * W. At quiescence each app runs the instances its accepted commands asked for: an accepted scale
   * that a crash forgot shows here, while D (the views agree) can still pass.
   */
  public static Verdict wantedInstances(History history, Map<String, Integer> wanted) {
    List<String> violations = new ArrayList<>();
    long missing = 0;
    for (Map.Entry<String, Integer> app : new TreeMap<>(wanted).entrySet()) {
      long running = history.instances().stream()
          .filter(i -> i.appId().equals(app.getKey()) && "RUNNING".equals(i.state())).count();
      if (running != app.getValue()) {
        missing += Math.abs(app.getValue() - running);
        violations.add(app.getKey() + " runs " + running + " instances at quiescence; accepted commands asked for "
            + app.getValue());
      }
    }
    return Verdict.of("W", counts("apps", wanted.size(), "missing", missing), violations);
  }

  /**
   * O. An outage every task survived (the bus's, not an agent's) loses none: no task running when the fault began
   * ends after it (LOST or otherwise), no LOST status is published for any task after it, and none of those tasks'
   * apps is launched again (a relaunch means the allocator or the framework gave a running task up).
   *
   * @param running the task ids running (on kos.tasks and as processes) when the fault began
   * @param faultAt when the fault began, epoch ms
   */
  public static Verdict noneLostThrough(History history, Set<String> running, long faultAt) {
    List<String> violations = new ArrayList<>();
    long ended = 0;
    long lost = 0;
    for (Status status : history.statuses()) {
      if (status.at() < faultAt) {
        continue;
      }
      if ("LOST".equals(status.state())) {
        lost++;
        violations.add(status.taskId() + " on " + status.agentId() + " reported LOST at " + status.at());
      } else if (status.terminal() && running.contains(status.taskId())) {
        ended++;
        violations.add(status.taskId() + " on " + status.agentId() + " ended " + status.state() + " at "
            + status.at());
      }
    }
    Set<String> apps = history.launches().stream().filter(l -> running.contains(l.taskId()))
        .map(Launch::appId).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
    List<Launch> relaunches = history.launches().stream()
        .filter(l -> l.at() >= faultAt && apps.contains(l.appId()) && !running.contains(l.taskId())).toList();
    relaunches.forEach(l -> violations.add("relaunch of " + l.appId() + " as " + l.taskId() + " on " + l.agentId()
        + " at " + l.at()));
    if (running.isEmpty()) {
      violations.add("no task ran when the fault began: nothing could be lost");
    }
    return Verdict.of("O", counts("running", running.size(), "lost", lost, "ended", ended, "relaunches",
        relaunches.size()), violations);
  }

  /** The named checks, for a case's summary line. */
  public static Map<String, Function<History, Verdict>> byName(Duration statusBound, Duration recoveryBound) {
    Map<String, Function<History, Verdict>> checks = new LinkedHashMap<>();
    checks.put("A", Checks::agentCapacity);
    checks.put("B", Checks::oneLaunchPerTask);
    checks.put("C", Checks::oneProcessPerInstance);
    checks.put("D", Checks::quiescentAgreement);
    checks.put("E", h -> statusWithin(h, statusBound));
    checks.put("F", h -> recovered(h, recoveryBound));
    checks.put("G", Checks::deadLetterPerInjection);
    checks.put("H", Checks::noOrphans);
    return checks;
  }

  private static void compare(String leftName, Set<String> left, String rightName, Set<String> right,
      List<String> violations) {
    Set<String> onlyLeft = new TreeSet<>(left);
    onlyLeft.removeAll(right);
    Set<String> onlyRight = new TreeSet<>(right);
    onlyRight.removeAll(left);
    if (!onlyLeft.isEmpty()) {
      violations.add("in " + leftName + " but not in " + rightName + ": " + onlyLeft);
    }
    if (!onlyRight.isEmpty()) {
      violations.add("in " + rightName + " but not in " + leftName + ": " + onlyRight);
    }
  }

  private static Map<String, Long> counts(Object... pairs) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      counts.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
    }
    return counts;
  }
}
