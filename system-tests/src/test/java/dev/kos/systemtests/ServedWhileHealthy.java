package dev.kos.systemtests;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges a load balancer's access log against the tasks' history: every request must have gone to a task that, when
 * the balancer took the request, was RUNNING and healthy by its agent's latest report (kos.task-status) and whose kill
 * had not been placed yet (kos.placements). Pure: the history and the log lines in, what broke the rule out.
 */
final class ServedWhileHealthy {

  /** {@code AT APP CLIENT "METHOD PATH" STATUS 1.234ms TASK@HOST:PORT tries=N}, as kos lb writes it. */
  private static final Pattern ACCESS = Pattern.compile(
      "^(\\S+) (\\S+) (\\S+) \"(\\S+) (\\S+)\" (\\d+) ([\\d.]+)ms (\\S+)@(\\S+):(\\d+) tries=(\\d+)$");

  /** One report of a task's agent: at {@code at} it was {@code healthy} (RUNNING and its check passing) or not. */
  record Report(String taskId, Instant at, boolean healthy) {
  }

  /** One request of the access log: the task that answered it and when the balancer took it. */
  record Request(String taskId, Instant taken, int status, String line) {
  }

  private ServedWhileHealthy() {
  }

  /** Reads an access log line; empty if it names no backend (the balancer found none). */
  static Optional<Request> parse(String line) {
    Matcher m = ACCESS.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    Instant answered = Instant.parse(m.group(1));
    long micros = Math.round(Double.parseDouble(m.group(7)) * 1000);
    return Optional.of(new Request(m.group(8), answered.minusNanos(micros * 1000), Integer.parseInt(m.group(6)),
        line));
  }

  /**
   * The requests that broke the rule, each with the reason.
   *
   * @param reports every task's reports in the order its agent sent them
   * @param kills when each task's kill was placed
   */
  static List<String> violations(List<Report> reports, Map<String, Instant> kills, List<Request> requests) {
    Map<String, List<Report>> byTask = new HashMap<>();
    reports.forEach(r -> byTask.computeIfAbsent(r.taskId(), id -> new ArrayList<>()).add(r));
    List<String> found = new ArrayList<>();
    for (Request request : requests) {
      Optional<Report> latest = Optional.empty();
      for (Report report : byTask.getOrDefault(request.taskId(), List.of())) {
        if (!report.at().isAfter(request.taken())) {
          latest = Optional.of(report);
        }
      }
      if (latest.isEmpty()) {
        found.add(request.line() + ": no report of " + request.taskId() + " before the request");
      } else if (!latest.get().healthy()) {
        found.add(request.line() + ": " + request.taskId() + " was not healthy (its latest report, at "
            + latest.get().at() + ", said so)");
      }
      Instant kill = kills.get(request.taskId());
      // Kills are placed with a millisecond timestamp: compare at that precision.
      if (kill != null && kill.isBefore(request.taken().truncatedTo(ChronoUnit.MILLIS))) {
        found.add(request.line() + ": " + request.taskId() + " had been killed at " + kill);
      }
    }
    return found;
  }
}
