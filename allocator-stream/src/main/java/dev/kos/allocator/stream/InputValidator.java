package dev.kos.allocator.stream;

import dev.kos.model.Resources;
import dev.kos.schema.Accept;
import dev.kos.schema.AcceptEvent;
import dev.kos.schema.Decline;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.LaunchOperation;
import dev.kos.schema.ReserveOperation;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskStatus;
import dev.kos.schema.UnreserveOperation;
import java.util.Optional;

/**
 * The meaning of each record the allocator takes in, checked where it enters and before anything is done with
 * it: a problem comes back as a reason a person can act on (the record is then dead-lettered or ignored), so
 * that no bad value reaches the core, where it would throw half-way through an event, or a round, for ever.
 */
final class InputValidator {

  /**
   * No cluster holds 10^12 cores or MiB. Larger amounts are typing mistakes, and the core's rounding to
   * thousandths saturates near 10^16, so such a value would not even mean what it says.
   */
  static final double MAX_SCALAR = 1e12;
  /** The longest refusal a decline may ask for; a longer one is cut to this, as Mesos caps filters. */
  static final double MAX_REFUSE_SECONDS = 365 * 24 * 3600.0;

  private InputValidator() {
  }

  static Optional<String> acceptEvent(AcceptEvent event) {
    if (event == null) {
      return problem("a record without a value; publish an Accept or a Decline");
    }
    return event.getPayload() instanceof Decline decline ? decline(decline) : accept((Accept) event.getPayload());
  }

  static Optional<String> decline(Decline decline) {
    if (blank(decline.getFrameworkId())) {
      return problem("a decline must name its framework");
    }
    double refuse = decline.getRefuseSeconds();
    if (!(refuse >= 0) || Double.isInfinite(refuse)) {
      return problem("refuseSeconds must be a finite number >= 0, was " + refuse);
    }
    return Optional.empty();
  }

  static Optional<String> accept(Accept accept) {
    if (blank(accept.getFrameworkId())) {
      return problem("an accept must name its framework");
    }
    if (blank(accept.getAgentId())) {
      return problem("an accept must name the agent of its offers");
    }
    if (accept.getOfferIds().isEmpty()) {
      return problem("an accept must name the offers it uses; operations run only on outstanding offers");
    }
    if (accept.getOfferIds().stream().anyMatch(InputValidator::blank)) {
      return problem("an accept names an empty offer id");
    }
    for (Object operation : accept.getOperations()) {
      Optional<String> problem = operation(operation);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> operation(Object operation) {
    if (operation instanceof LaunchOperation launch) {
      for (TaskInfo task : launch.getTasks()) {
        if (blank(task.getTaskId())) {
          return problem("a launched task must have an id");
        }
        Optional<String> bad = resources("task " + task.getTaskId(), task.getResources());
        if (bad.isPresent()) {
          return bad;
        }
      }
    } else if (operation instanceof ReserveOperation reserve) {
      return reservation(reserve.getRole(), reserve.getResources());
    } else if (operation instanceof UnreserveOperation unreserve) {
      return reservation(unreserve.getRole(), unreserve.getResources());
    }
    return Optional.empty();
  }

  private static Optional<String> reservation(String role, dev.kos.schema.Resources resources) {
    return blank(role) ? problem("a reservation must name its role") : resources("the reservation for " + role,
        resources);
  }

  static Optional<String> taskStatus(TaskStatus status) {
    if (status == null) {
      return problem("a record without a value; publish a TaskStatus");
    }
    if (blank(status.getTaskId()) || blank(status.getAgentId()) || blank(status.getFrameworkId())) {
      return problem("a task status must name its task, agent and framework, named task '" + status.getTaskId()
          + "', agent '" + status.getAgentId() + "', framework '" + status.getFrameworkId() + "'");
    }
    return Optional.empty();
  }

  /** A role's configuration on the compacted {@code kos.roles}, keyed by the role. */
  static Optional<String> role(String key, RoleInfo info) {
    if (blank(info.getRole()) || !info.getRole().equals(key)) {
      return problem("a role's record must name the role it is keyed by; key '" + key + "', role '"
          + info.getRole() + "'");
    }
    if (!positiveFinite(info.getWeight())) {
      return problem("role " + key + ": weight must be a finite number > 0, was " + info.getWeight());
    }
    Double threshold = info.getMaxClusterUtilization();
    if (threshold != null && !(threshold > 0 && threshold <= 1)) {
      return problem("role " + key + ": maxClusterUtilization must be in (0, 1], was " + threshold);
    }
    if (info.getGuarantee() != null) {
      Optional<String> bad = resources("role " + key + "'s guarantee", info.getGuarantee());
      if (bad.isPresent()) {
        return bad;
      }
    }
    if (info.getLimit() != null) {
      Optional<String> bad = resources("role " + key + "'s limit", info.getLimit());
      if (bad.isPresent()) {
        return bad;
      }
    }
    try {
      AllocatorAvro.role(info);
    } catch (IllegalArgumentException e) {
      return problem(e.getMessage());
    }
    return Optional.empty();
  }

  /** A framework's registration or heartbeat on the compacted {@code kos.frameworks}, keyed by its id. */
  static Optional<String> framework(String key, FrameworkInfo info) {
    if (blank(info.getFrameworkId()) || !info.getFrameworkId().equals(key)) {
      return problem("a framework's record must name the framework it is keyed by; key '" + key
          + "', frameworkId '" + info.getFrameworkId() + "'");
    }
    if (blank(info.getRole())) {
      return problem("framework " + key + " must name its role");
    }
    if (!positiveFinite(info.getWeight())) {
      return problem("framework " + key + ": weight must be a finite number > 0, was " + info.getWeight());
    }
    if (info.getFailoverTimeoutMs() < 0) {
      return problem("framework " + key + ": failoverTimeoutMs must be >= 0, was " + info.getFailoverTimeoutMs());
    }
    return Optional.empty();
  }

  private static Optional<String> resources(String what, dev.kos.schema.Resources resources) {
    Resources mapped;
    try {
      mapped = AllocatorAvro.resources(resources);
    } catch (IllegalArgumentException e) {
      return problem(what + ": " + e.getMessage());
    }
    if (mapped.cpus() > MAX_SCALAR || mapped.mem() > MAX_SCALAR || mapped.disk() > MAX_SCALAR) {
      return problem(what + ": " + mapped + " is more than any cluster holds (at most " + MAX_SCALAR
          + " of each scalar)");
    }
    return Optional.empty();
  }

  private static boolean positiveFinite(double value) {
    return value > 0 && !Double.isInfinite(value);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static Optional<String> problem(String reason) {
    return Optional.of(reason);
  }
}
