package dev.kos.frameworks.jobs.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Checks a job before it is accepted; each problem names the spec's field first ("cpus: ..."). */
public final class JobValidator {

  /** Job ids name task ids and so sandbox directories on agents: plain characters only. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  static final int MAX_RETRIES = 100;

  private final String role;

  /** @param role the one role the framework runs its jobs in */
  public JobValidator(String role) {
    this.role = role;
  }

  /** Every problem with {@code job}; empty when it may run. {@code now} checks that a schedule ever fires. */
  public List<String> problems(JobDefinition job, Instant now) {
    List<String> problems = new ArrayList<>();
    if (!ID.matcher(job.id()).matches()) {
      problems.add("id: '" + job.id() + "' must be 1-64 letters, digits, '_' or '-', starting with a letter or digit");
    }
    boolean hasCmd = job.cmd().filter(cmd -> !cmd.isBlank()).isPresent();
    if (hasCmd == !job.argv().isEmpty()) {
      problems.add(hasCmd ? "cmd: give either cmd (a shell line) or argv, not both"
          : "cmd: give a shell line in cmd, or the program and its arguments in argv");
    }
    positive("cpus", job.cpus(), problems);
    positive("mem", job.mem(), problems);
    if (!(job.disk() >= 0) || Double.isInfinite(job.disk())) {
      problems.add("disk: must be 0 or more MiB, was " + job.disk());
    }
    if (job.retries() < 0 || job.retries() > MAX_RETRIES) {
      problems.add("retries: must be between 0 and " + MAX_RETRIES + ", was " + job.retries());
    }
    job.deadline().filter(deadline -> deadline.isNegative() || deadline.isZero())
        .ifPresent(deadline -> problems.add("deadlineSeconds: must be at least 1, was " + deadline.toSeconds()));
    job.schedule().ifPresent(text -> checkSchedule(text, now, problems));
    if (!job.role().equals(role)) {
      problems.add("role: job " + job.id() + " asks for role " + job.role() + ", but the jobs framework runs every"
          + " job in its role " + role);
    }
    return problems;
  }

  private static void positive(String field, double value, List<String> problems) {
    if (!(value > 0) || Double.isInfinite(value)) {
      problems.add(field + ": must be more than 0, was " + value);
    }
  }

  private static void checkSchedule(String text, Instant now, List<String> problems) {
    try {
      if (Schedule.parse(text).nextAfter(now).isEmpty()) {
        problems.add("schedule: '" + text + "' never fires (no such date in the next years)");
      }
    } catch (IllegalArgumentException e) {
      problems.add("schedule: " + e.getMessage());
    }
  }
}
