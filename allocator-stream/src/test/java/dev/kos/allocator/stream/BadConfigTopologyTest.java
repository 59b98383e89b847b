package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.DeadLetter;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.RoleInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad role or framework record on the compacted {@code kos.roles} / {@code kos.frameworks} (anyone with
 * {@code kos publish roles} can write one, and compaction keeps it) is ignored: the previous valid configuration
 * stays in force, offers still go out, and it is dead-lettered once, not on every round.
 */
class BadConfigTopologyTest {

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(50));
    assertThat(allocator.offers()).isNotEmpty();
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  static Stream<Arguments> badRoles() {
    return Stream.of(
        Arguments.of("weight 0", (UnaryOperator<RoleInfo.Builder>) r -> r.setWeight(0)),
        Arguments.of("weight NaN", (UnaryOperator<RoleInfo.Builder>) r -> r.setWeight(Double.NaN)),
        Arguments.of("negative weight", (UnaryOperator<RoleInfo.Builder>) r -> r.setWeight(-2)),
        Arguments.of("utilization above 1", (UnaryOperator<RoleInfo.Builder>) r -> r.setMaxClusterUtilization(1.5)),
        Arguments.of("utilization 0", (UnaryOperator<RoleInfo.Builder>) r -> r.setMaxClusterUtilization(0.0)),
        Arguments.of("guarantee above limit", (UnaryOperator<RoleInfo.Builder>) r -> r
            .setGuarantee(AllocatorDriver.resources(8, 1024)).setLimit(AllocatorDriver.resources(2, 1024))),
        Arguments.of("negative guarantee", (UnaryOperator<RoleInfo.Builder>) r -> r
            .setGuarantee(AllocatorDriver.resources(-1, 1024))),
        Arguments.of("absurd guarantee", (UnaryOperator<RoleInfo.Builder>) r -> r
            .setGuarantee(AllocatorDriver.resources(1e300, 1024))),
        Arguments.of("role other than its key", (UnaryOperator<RoleInfo.Builder>) r -> r.setRole("other")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRoles")
  void shouldIgnoreABadRoleAndDeadLetterItOnce(String name, UnaryOperator<RoleInfo.Builder> bad) {
    allocator.publish(Topics.ROLES, "web", bad.apply(RoleInfo.newBuilder().setRole("web")).build());
    allocator.advance(Duration.ofSeconds(2));

    assertThat(allocator.read(Topics.DEAD_LETTERS)).as(name).singleElement().satisfies(letter -> {
      assertThat(letter.key()).isEqualTo("web");
      assertThat(letter.value().getTopic()).isEqualTo("kos.roles");
      assertThat(letter.value().getConsumer()).isEqualTo("allocator");
      assertThat(letter.value().getReason()).contains("web");
    });
    allocator.agent("a2", 2, 2048);
    allocator.advance(Duration.ofMillis(100));
    assertThat(allocator.offers()).as("offers still go out").anySatisfy(o -> assertThat(o.getAgentId()).isEqualTo("a2"));
  }

  static Stream<Arguments> badFrameworks() {
    return Stream.of(
        Arguments.of("weight 0", (UnaryOperator<FrameworkInfo.Builder>) f -> f.setWeight(0)),
        Arguments.of("no role", (UnaryOperator<FrameworkInfo.Builder>) f -> f.setRole("")),
        Arguments.of("negative failover timeout", (UnaryOperator<FrameworkInfo.Builder>) f -> f.setFailoverTimeoutMs(-5)),
        Arguments.of("id other than its key", (UnaryOperator<FrameworkInfo.Builder>) f -> f.setFrameworkId("")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFrameworks")
  void shouldKeepAFrameworksLastValidRegistrationOverABadOne(String name, UnaryOperator<FrameworkInfo.Builder> bad) {
    allocator.publish(Topics.FRAMEWORKS, "web", bad.apply(FrameworkInfo.newBuilder().setFrameworkId("web")
        .setName("web").setRole("web").setRegisteredAt(allocator.now())).build());
    allocator.advance(Duration.ofSeconds(3));

    assertThat(allocator.read(Topics.DEAD_LETTERS)).as(name).singleElement().satisfies(letter -> {
      assertThat(letter.value().getTopic()).isEqualTo("kos.frameworks");
      assertThat(letter.value().getReason()).contains("web");
    });
    allocator.agent("a2", 2, 2048);
    allocator.advance(Duration.ofMillis(100));
    assertThat(allocator.offers()).as("web keeps its registration and its offers")
        .anySatisfy(o -> assertThat(o.getFrameworkId()).isEqualTo("web"));
  }

  @Test
  void shouldDeadLetterEachDistinctBadValueOnceAndForgetItWhenFixed() {
    RoleInfo zero = RoleInfo.newBuilder().setRole("web").setWeight(0).build();
    allocator.publish(Topics.ROLES, "web", zero);
    allocator.advance(Duration.ofSeconds(1));
    allocator.publish(Topics.ROLES, "web", zero);
    allocator.advance(Duration.ofSeconds(1));
    allocator.publish(Topics.ROLES, "web", RoleInfo.newBuilder().setRole("web").setWeight(-1).build());
    allocator.advance(Duration.ofSeconds(1));

    List<DeadLetter> letters = allocator.read(Topics.DEAD_LETTERS).stream().map(Keyed::value).toList();
    assertThat(letters).extracting(DeadLetter::getReason)
        .satisfiesExactly(r -> assertThat(r).contains("was 0.0"), r -> assertThat(r).contains("was -1.0"));
  }

  @Test
  void shouldDeadLetterABadHeartbeatingFrameworkOnceAndKeepItAlive() {
    allocator.publish(Topics.FRAMEWORKS, "web", FrameworkInfo.newBuilder().setFrameworkId("web").setName("web")
        .setRole("web").setFailoverTimeoutMs(2000).setRegisteredAt(AllocatorDriver.START).build());
    allocator.advance(Duration.ofMillis(100));
    for (int second = 0; second < 5; second++) {
      allocator.publish(Topics.FRAMEWORKS, "web", FrameworkInfo.newBuilder().setFrameworkId("web").setName("web")
          .setRole("web").setWeight(0).setFailoverTimeoutMs(2000).setRegisteredAt(AllocatorDriver.START)
          .setHeartbeatAt(allocator.now()).build());
      allocator.advance(Duration.ofSeconds(1));
    }

    assertThat(allocator.read(Topics.DEAD_LETTERS)).hasSize(1);
    assertThat(allocator.read(Topics.STATUS)).extracting(k -> k.value().getKind())
        .as("a framework that heartbeats is not failed over").doesNotContain("framework-failed-over");
  }
}
