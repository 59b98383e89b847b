package dev.kos.allocator.stream;

import dev.kos.bus.access.CommandGate;
import dev.kos.bus.access.Grant;
import dev.kos.schema.Command;
import dev.kos.schema.ConfigureRole;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.RegisterFramework;
import dev.kos.schema.Resources;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.SetQuota;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.specific.SpecificRecord;

/**
 * The decision on the commands that change the allocator's configuration tables: {@code SetQuota} and
 * {@code ConfigureRole} (a role's record on {@code kos.roles}) and {@code RegisterFramework} (a framework's record on
 * {@code kos.frameworks}). Pure: given the command, the tables as they stand and the time, it says what to write and
 * how to answer, or why the command is rejected, in words the sender can act on. The allocator's processor carries
 * the verdict out, answer and record in one Kafka transaction, so a command redelivered after a crash is neither
 * answered twice nor applied twice.
 *
 * <p>The rules: the principal needs {@code @all:admin} ({@link CommandGate}); a role name is a word, not the
 * policy's {@value Grant#ALL_ROLES}; {@code ConfigureRole} creates a role or changes the fields it names;
 * {@code SetQuota} replaces the quota of a role that exists (configured on {@code kos.roles} or the role of a
 * registered framework); the resulting role record must pass the same check the allocator applies to every
 * {@code kos.roles} record ({@link InputValidator#role}): weight &gt; 0, threshold in (0, 1], quantities &ge; 0 and
 * below {@value InputValidator#MAX_SCALAR}, guarantee within limit. {@code RegisterFramework} takes a new id whose
 * name no other framework has; the registration is written suppressed (no offers) until the framework's process
 * starts and registers itself with the runtime.
 */
final class ConfigCommands {

  /** Role names: what fits in a Kafka record key, a metric tag and an ACL without quoting. */
  private static final Pattern ROLE_NAME = Pattern.compile("\\*|[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ConfigCommands() {
  }

  /**
   * The configuration tables as the deciding shard sees them.
   *
   * @param roles the valid records of {@code kos.roles} by role
   * @param frameworks the valid registrations of {@code kos.frameworks} by framework id
   */
  record Tables(Map<String, RoleInfo> roles, Map<String, FrameworkInfo> frameworks) {
    Tables {
      roles = Map.copyOf(roles);
      frameworks = Map.copyOf(frameworks);
    }

    boolean roleExists(String role) {
      return roles.containsKey(role) || frameworks.values().stream().anyMatch(f -> f.getRole().equals(role));
    }
  }

  /** What to do with a command. */
  sealed interface Verdict {
  }

  /**
   * Write {@code record} under {@code key} (to {@code kos.roles} for a {@link RoleInfo}, {@code kos.frameworks} for a
   * {@link FrameworkInfo}) and answer ACCEPTED with {@code message}.
   */
  record Accepted(String key, SpecificRecord record, String message) implements Verdict {
    Accepted {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(record, "record");
    }
  }

  /** Write nothing; answer REJECTED with {@code reason}. */
  record Rejected(String reason) implements Verdict {
  }

  /** Whether this is one of the commands decided here. */
  static boolean owns(Command command) {
    Object payload = command.getPayload();
    return payload instanceof SetQuota || payload instanceof ConfigureRole || payload instanceof RegisterFramework;
  }

  static Verdict decide(Command command, CommandGate gate, Tables tables, Instant now) {
    Optional<String> denied = gate.denies(command);
    if (denied.isPresent()) {
      return new Rejected(denied.get());
    }
    Object payload = command.getPayload();
    if (payload instanceof SetQuota quota) {
      return setQuota(quota, tables);
    } else if (payload instanceof ConfigureRole configure) {
      return configureRole(configure, tables);
    } else if (payload instanceof RegisterFramework register) {
      return register(register, command.getPrincipal(), tables, now);
    }
    throw new IllegalArgumentException("not a configuration command: " + command.getCommandId());
  }

  private static Verdict setQuota(SetQuota quota, Tables tables) {
    String role = quota.getRole();
    Optional<String> badName = roleName(role);
    if (badName.isPresent()) {
      return new Rejected(badName.get());
    }
    if (!tables.roleExists(role)) {
      return new Rejected("role " + role + " is unknown: no role record on kos.roles and no registered framework in"
          + " it; check the name (kos role list shows the roles) or create it first with kos role configure "
          + role);
    }
    RoleInfo current = tables.roles().getOrDefault(role, RoleInfo.newBuilder().setRole(role).build());
    return roleRecord(RoleInfo.newBuilder(current).setGuarantee(quota.getGuarantee()).setLimit(quota.getLimit())
        .build());
  }

  private static Verdict configureRole(ConfigureRole configure, Tables tables) {
    String role = configure.getRole();
    Optional<String> badName = roleName(role);
    if (badName.isPresent()) {
      return new Rejected(badName.get());
    }
    if (configure.getWeight() == null && configure.getPriority() == null
        && configure.getMaxClusterUtilization() == null) {
      return new Rejected("ConfigureRole for role " + role + " names nothing to change: give a weight, a priority"
          + " or a maxClusterUtilization");
    }
    RoleInfo.Builder next = RoleInfo.newBuilder(tables.roles().getOrDefault(role,
        RoleInfo.newBuilder().setRole(role).build()));
    if (configure.getWeight() != null) {
      next.setWeight(configure.getWeight());
    }
    if (configure.getPriority() != null) {
      next.setPriority(configure.getPriority());
    }
    if (configure.getMaxClusterUtilization() != null) {
      next.setMaxClusterUtilization(configure.getMaxClusterUtilization());
    }
    return roleRecord(next.build());
  }

  private static Verdict roleRecord(RoleInfo next) {
    Optional<String> problem = InputValidator.role(next.getRole(), next);
    if (problem.isPresent()) {
      return new Rejected(problem.get() + "; nothing changed");
    }
    return new Accepted(next.getRole(), next, "role " + next.getRole() + " now has " + describe(next));
  }

  private static Verdict register(RegisterFramework register, String principal, Tables tables, Instant now) {
    String id = register.getFrameworkId();
    if (id == null || id.isBlank()) {
      return new Rejected("a framework needs an id: frameworkId is empty");
    }
    if (register.getName() == null || register.getName().isBlank()) {
      return new Rejected("framework " + id + " needs a name: name is empty");
    }
    Optional<String> badRole = roleName(register.getRole());
    if (badRole.isPresent()) {
      return new Rejected(badRole.get());
    }
    if (register.getFailoverTimeoutSeconds() < 0 || register.getFailoverTimeoutSeconds() > Long.MAX_VALUE / 1000) {
      return new Rejected("framework " + id + ": failoverTimeoutSeconds must be >= 0, was "
          + register.getFailoverTimeoutSeconds());
    }
    FrameworkInfo wanted = FrameworkInfo.newBuilder().setFrameworkId(id).setName(register.getName())
        .setRole(register.getRole()).setWeight(register.getWeight()).setPrincipal(principal).setSuppressed(true)
        .setFailoverTimeoutMs(register.getFailoverTimeoutSeconds() * 1000).setRegisteredAt(now).build();
    FrameworkInfo existing = tables.frameworks().get(id);
    if (existing != null) {
      if (sameRegistration(existing, wanted)) {
        return new Accepted(id, existing, "framework " + id + " was already registered as asked");
      }
      return new Rejected("framework id " + id + " is already registered (name " + existing.getName() + ", role "
          + existing.getRole() + ", principal " + existing.getPrincipal() + "); pick another id, or stop that"
          + " framework and wait for its failover timeout to unregister it");
    }
    Optional<FrameworkInfo> clash = tables.frameworks().values().stream()
        .filter(f -> f.getName().equals(register.getName())).findFirst();
    if (clash.isPresent()) {
      return new Rejected("the name " + register.getName() + " is taken by framework " + clash.get().getFrameworkId()
          + "; pick another name");
    }
    Optional<String> problem = InputValidator.framework(id, wanted);
    if (problem.isPresent()) {
      return new Rejected(problem.get());
    }
    return new Accepted(id, wanted, "framework " + id + " (" + register.getName() + ") is registered in role "
        + register.getRole() + " with weight " + register.getWeight() + "; it gets offers once its process starts"
        + " and registers itself");
  }

  /** Equal but for the time: a redelivered or re-sent registration, answered as it was the first time. */
  private static boolean sameRegistration(FrameworkInfo existing, FrameworkInfo wanted) {
    return existing.getEpoch() == 0 && existing.getHeartbeatAt() == null
        && FrameworkInfo.newBuilder(existing).setRegisteredAt(wanted.getRegisteredAt()).build().equals(wanted);
  }

  private static Optional<String> roleName(String role) {
    if (role == null || role.isBlank()) {
      return Optional.of("the role is empty: name a role such as web or batch");
    }
    if (role.equals(Grant.ALL_ROLES)) {
      return Optional.of(Grant.ALL_ROLES + " is the access policy's word for every role, not a role; name one role");
    }
    if (!ROLE_NAME.matcher(role).matches()) {
      return Optional.of("role '" + role + "' is not a role name: use letters, digits, '.', '_' and '-' (at most 128,"
          + " starting with a letter or digit), or * for the default role");
    }
    return Optional.empty();
  }

  /** A role record in one line: what the sender now has. */
  static String describe(RoleInfo info) {
    return "weight " + info.getWeight() + ", priority " + info.getPriority()
        + ", guarantee " + describe(info.getGuarantee(), "0.0") + ", limit " + describe(info.getLimit(), "unlimited")
        + ", maxClusterUtilization " + (info.getMaxClusterUtilization() == null ? "none"
        : info.getMaxClusterUtilization());
  }

  /** @param zero how a 0 reads: in a limit it means no limit on that scalar ({@link AllocatorAvro#role}) */
  private static String describe(Resources resources, String zero) {
    return resources == null ? "none" : "cpus " + scalar(resources.getCpus(), zero) + " mem "
        + scalar(resources.getMem(), zero) + " disk " + scalar(resources.getDisk(), zero);
  }

  private static String scalar(double value, String zero) {
    return value > 0 ? Double.toString(value) : zero;
  }
}
