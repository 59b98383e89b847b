package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.RoleInfo;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The checks of configuration records: the bad ones named with a reason, and every valid shape let through. */
class InputValidatorTest {

  static Stream<Arguments> roles() {
    return Stream.of(
        Arguments.of("defaults", RoleInfo.newBuilder().setRole("web"), null),
        Arguments.of("threshold 1", RoleInfo.newBuilder().setRole("web").setMaxClusterUtilization(1.0), null),
        Arguments.of("limit with absent scalars (0: unlimited)", RoleInfo.newBuilder().setRole("web")
            .setLimit(AllocatorDriver.resources(4, 0)).setGuarantee(AllocatorDriver.resources(2, 1024)), null),
        Arguments.of("weight 0.5, priority -3", RoleInfo.newBuilder().setRole("web").setWeight(0.5).setPriority(-3),
            null),
        Arguments.of("weight 0", RoleInfo.newBuilder().setRole("web").setWeight(0), "weight must be"),
        Arguments.of("infinite weight", RoleInfo.newBuilder().setRole("web").setWeight(Double.POSITIVE_INFINITY),
            "weight must be"),
        Arguments.of("threshold NaN", RoleInfo.newBuilder().setRole("web").setMaxClusterUtilization(Double.NaN),
            "maxClusterUtilization"),
        Arguments.of("limit of 10^13 cpus", RoleInfo.newBuilder().setRole("web")
            .setLimit(AllocatorDriver.resources(1e13, 0)), "more than any cluster"),
        Arguments.of("guarantee above limit", RoleInfo.newBuilder().setRole("web")
            .setLimit(AllocatorDriver.resources(1, 0)).setGuarantee(AllocatorDriver.resources(2, 0)), "exceeds"),
        Arguments.of("keyed by another role", RoleInfo.newBuilder().setRole("db"), "keyed by"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("roles")
  void shouldCheckARole(String name, RoleInfo.Builder role, String problem) {
    assertProblem(InputValidator.role("web", role.build()).orElse(null), problem);
  }

  static Stream<Arguments> frameworks() {
    return Stream.of(
        Arguments.of("defaults", framework(), null),
        Arguments.of("failover 0", framework().setFailoverTimeoutMs(0), null),
        Arguments.of("weight NaN", framework().setWeight(Double.NaN), "weight must be"),
        Arguments.of("blank role", framework().setRole(" "), "must name its role"),
        Arguments.of("negative failover", framework().setFailoverTimeoutMs(-1), "failoverTimeoutMs"),
        Arguments.of("keyed by another id", framework().setFrameworkId("db"), "keyed by"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frameworks")
  void shouldCheckAFramework(String name, FrameworkInfo.Builder framework, String problem) {
    assertProblem(InputValidator.framework("web", framework.build()).orElse(null), problem);
  }

  private static FrameworkInfo.Builder framework() {
    return FrameworkInfo.newBuilder().setFrameworkId("web").setName("web").setRole("web")
        .setRegisteredAt(Instant.EPOCH);
  }

  private static void assertProblem(String actual, String expected) {
    if (expected == null) {
      assertThat(actual).isNull();
    } else {
      assertThat(actual).contains(expected);
    }
  }
}
