package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.access.AccessPolicy;
import dev.kos.bus.access.CommandGate;
import dev.kos.bus.client.Answerer;
import dev.kos.schema.Command;
import dev.kos.schema.ConfigureRole;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.RegisterFramework;
import dev.kos.schema.Resources;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.SetQuota;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One row per rule of the configuration commands: the tables, a command from a principal, and the verdict (the
 * record written, or the reason it is rejected).
 */
class ConfigCommandsTest {

  private static final Instant NOW = Instant.parse("2026-12-08T03:00:00Z");
  private static final CommandGate GATE = new CommandGate(AccessPolicy.parse("policy", List.of(
      "ops    @all:admin",
      "alice  web:admin,@all:operate")), Optional.of(Answerer.ALLOCATOR));
  private static final RoleInfo WEB = RoleInfo.newBuilder().setRole("web").setWeight(2).setPriority(1).build();
  private static final FrameworkInfo SPARK = FrameworkInfo.newBuilder().setFrameworkId("spark-1").setName("spark")
      .setRole("batch").setRegisteredAt(NOW.minusSeconds(60)).build();
  private static final ConfigCommands.Tables TABLES = new ConfigCommands.Tables(Map.of("web", WEB),
      Map.of("spark-1", SPARK));

  record Row(String name, String principal, Object payload, ConfigCommands.Tables tables, Object expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Resources res(double cpus, double mem) {
    return Resources.newBuilder().setCpus(cpus).setMem(mem).build();
  }

  static ConfigureRole configure(String role, Double weight, Integer priority, Double threshold) {
    return new ConfigureRole(role, weight, priority, threshold);
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("a quota on a configured role replaces its guarantee and limit, keeping weight and priority", "ops",
            new SetQuota("web", res(2, 1024), res(8, 8192)), TABLES,
            RoleInfo.newBuilder(WEB).setGuarantee(res(2, 1024)).setLimit(res(8, 8192)).build()),
        new Row("a quota without a limit clears the limit", "ops",
            new SetQuota("web", res(1, 0), null),
            new ConfigCommands.Tables(Map.of("web", RoleInfo.newBuilder(WEB).setLimit(res(4, 0)).build()), Map.of()),
            RoleInfo.newBuilder(WEB).setGuarantee(res(1, 0)).build()),
        new Row("a quota on the role of a registered framework creates its record", "ops",
            new SetQuota("batch", null, res(4, 0)), TABLES,
            RoleInfo.newBuilder().setRole("batch").setLimit(res(4, 0)).build()),
        new Row("a quota on an unknown role is rejected", "ops", new SetQuota("wbe", null, res(4, 0)), TABLES,
            "role wbe is unknown: no role record on kos.roles and no registered framework in it; check the name"
                + " (kos role list shows the roles) or create it first with kos role configure wbe"),
        new Row("a negative quota is rejected", "ops", new SetQuota("web", res(-1, 0), null), TABLES,
            "role web's guarantee: cpus must be a finite number >= 0, got -1.0; nothing changed"),
        new Row("an absurd quota is rejected", "ops", new SetQuota("web", null, res(4, 1e13)), TABLES,
            "role web's limit: {cpus=4.0, mem=1.0E13MiB, disk=0.0MiB} is more than any"
                + " cluster holds (at most 1.0E12 of each scalar); nothing changed"),
        new Row("a guarantee above the limit is rejected", "ops", new SetQuota("web", res(8, 0), res(4, 0)), TABLES,
            "~role web guarantee {cpus=8.0, mem=0.0MiB, disk=0.0MiB} exceeds its limit"),
        new Row("a quota needs admin on the whole cluster, not in the role", "alice",
            new SetQuota("web", null, res(4, 0)), TABLES,
            "principal alice lacks the permission admin on the cluster (@all:admin) (it has web:admin,@all:operate)"),
        new Row("a principal outside the policy is rejected", "mallory",
            configure("web", 3.0, null, null), TABLES,
            "principal mallory is not in the access policy, so it lacks the permission admin on the cluster"
                + " (@all:admin); ask an operator to grant it"),
        new Row("configuring a role changes only what it names", "ops", configure("web", null, null, 0.8), TABLES,
            RoleInfo.newBuilder(WEB).setMaxClusterUtilization(0.8).build()),
        new Row("configuring a new role creates it with the defaults for the rest", "ops",
            configure("batch", 0.5, -1, null), TABLES,
            RoleInfo.newBuilder().setRole("batch").setWeight(0.5).setPriority(-1).build()),
        new Row("a weight of 0 is rejected", "ops", configure("web", 0.0, null, null), TABLES,
            "role web: weight must be a finite number > 0, was 0.0; nothing changed"),
        new Row("a negative weight is rejected", "ops", configure("web", -2.0, null, null), TABLES,
            "role web: weight must be a finite number > 0, was -2.0; nothing changed"),
        new Row("a threshold above 1 is rejected", "ops", configure("web", null, null, 1.5), TABLES,
            "role web: maxClusterUtilization must be in (0, 1], was 1.5; nothing changed"),
        new Row("a configuration that names nothing is rejected", "ops", configure("web", null, null, null), TABLES,
            "ConfigureRole for role web names nothing to change: give a weight, a priority or a"
                + " maxClusterUtilization"),
        new Row("the policy's every-role word is not a role", "ops", configure("@all", 1.0, null, null), TABLES,
            "@all is the access policy's word for every role, not a role; name one role"),
        new Row("a role name with spaces is rejected", "ops", configure("my role", 1.0, null, null), TABLES,
            "role 'my role' is not a role name: use letters, digits, '.', '_' and '-' (at most 128, starting with a"
                + " letter or digit), or * for the default role"),
        new Row("a new framework is registered suppressed, by its principal", "ops",
            new RegisterFramework("flink-1", "flink", "batch", 2.0, 60L), TABLES,
            FrameworkInfo.newBuilder().setFrameworkId("flink-1").setName("flink").setRole("batch").setWeight(2.0)
                .setPrincipal("ops").setSuppressed(true).setFailoverTimeoutMs(60_000).setRegisteredAt(NOW).build()),
        new Row("a framework name another id has is rejected", "ops",
            new RegisterFramework("spark-2", "spark", "batch", 1.0, 60L), TABLES,
            "the name spark is taken by framework spark-1; pick another name"),
        new Row("a framework id already registered is rejected", "ops",
            new RegisterFramework("spark-1", "spark2", "batch", 1.0, 60L), TABLES,
            "framework id spark-1 is already registered (name spark, role batch, principal null); pick another id,"
                + " or stop that framework and wait for its failover timeout to unregister it"),
        new Row("a framework weight of 0 is rejected", "ops",
            new RegisterFramework("flink-1", "flink", "batch", 0.0, 60L), TABLES,
            "framework flink-1: weight must be a finite number > 0, was 0.0"),
        new Row("a negative failover timeout is rejected", "ops",
            new RegisterFramework("flink-1", "flink", "batch", 1.0, -1L), TABLES,
            "framework flink-1: failoverTimeoutSeconds must be >= 0, was -1"),
        new Row("registering a framework needs admin on the cluster", "alice",
            new RegisterFramework("flink-1", "flink", "web", 1.0, 60L), TABLES,
            "principal alice lacks the permission admin on the cluster (@all:admin) (it has web:admin,@all:operate)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void decides(Row row) {
    ConfigCommands.Verdict verdict = ConfigCommands.decide(command(row.principal(), row.payload()), GATE,
        row.tables(), NOW);

    if (row.expected() instanceof String reason) {
      assertThat(verdict).isInstanceOf(ConfigCommands.Rejected.class);
      String actual = ((ConfigCommands.Rejected) verdict).reason();
      if (reason.startsWith("~")) {
        // The core words the limit with its unlimited scalars; only the start is this rule's.
        assertThat(actual).startsWith(reason.substring(1)).endsWith("; nothing changed");
      } else {
        assertThat(actual).isEqualTo(reason);
      }
    } else {
      assertThat(verdict).isInstanceOf(ConfigCommands.Accepted.class);
      assertThat(((ConfigCommands.Accepted) verdict).record()).isEqualTo(row.expected());
    }
  }

  @Test
  void anAcceptedRoleChangeSaysWhatTheRoleNowHas() {
    ConfigCommands.Verdict verdict = ConfigCommands.decide(command("ops", new SetQuota("web", null, res(8, 0))),
        GATE, TABLES, NOW);

    assertThat(verdict).isEqualTo(new ConfigCommands.Accepted("web",
        RoleInfo.newBuilder(WEB).setLimit(res(8, 0)).build(), "role web now has weight 2.0, priority 1,"
        + " guarantee none, limit cpus 8.0 mem unlimited disk unlimited, maxClusterUtilization none"));
  }

  @Test
  void aRegistrationSentAgainIsAcceptedAgainWithoutANewRecord() {
    Command register = command("ops", new RegisterFramework("flink-1", "flink", "batch", 1.0, 60L));
    FrameworkInfo written = (FrameworkInfo) ((ConfigCommands.Accepted) ConfigCommands.decide(register, GATE,
        TABLES, NOW)).record();

    ConfigCommands.Verdict again = ConfigCommands.decide(register, GATE,
        new ConfigCommands.Tables(Map.of(), Map.of("flink-1", written)), NOW.plusSeconds(5));

    assertThat(again).isEqualTo(new ConfigCommands.Accepted("flink-1", written,
        "framework flink-1 was already registered as asked"));
  }

  /** Whatever the numbers, a role record is written only if the allocator will take it. */
  @Property(tries = 300)
  void anAcceptedRoleRecordIsOneTheAllocatorAccepts(@ForAll("roleCommands") Object payload) {
    ConfigCommands.Verdict verdict = ConfigCommands.decide(command("ops", payload), GATE, TABLES, NOW);

    if (verdict instanceof ConfigCommands.Accepted accepted) {
      RoleInfo written = (RoleInfo) accepted.record();
      assertThat(InputValidator.role(written.getRole(), written)).isEmpty();
    } else {
      assertThat(((ConfigCommands.Rejected) verdict).reason()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<Object> roleCommands() {
    Arbitrary<Double> amount = Arbitraries.oneOf(Arbitraries.doubles().between(-10, 1e13),
        Arbitraries.of(0.0, Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e12));
    Arbitrary<Resources> resources = net.jqwik.api.Combinators.combine(amount, amount, amount)
        .as((c, m, d) -> Resources.newBuilder().setCpus(c).setMem(m).setDisk(d).build()).injectNull(0.3);
    Arbitrary<Object> quota = net.jqwik.api.Combinators.combine(resources, resources)
        .as((g, l) -> new SetQuota("web", g, l));
    Arbitrary<Object> configure = net.jqwik.api.Combinators.combine(amount.injectNull(0.3),
        Arbitraries.integers().injectNull(0.3), amount.injectNull(0.3))
        .as((w, p, t) -> configure("web", w, p, t));
    return Arbitraries.oneOf(quota, configure);
  }

  private static Command command(String principal, Object payload) {
    return Command.newBuilder().setCommandId("c-1").setPrincipal(principal).setPayload(payload).build();
  }
}
