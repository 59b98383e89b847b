package dev.kos.bus.framework;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.FrameworkInfo;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One row per registration an instance of a framework can see of its own id: is it replaced? */
class FrameworkEpochTest {

  record Row(String name, FrameworkEpoch mine, FrameworkEpoch seen, boolean replaced) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("its own registration or heartbeat", new FrameworkEpoch(3, "b"), new FrameworkEpoch(3, "b"), false),
        new Row("an instance it replaced, still heartbeating", new FrameworkEpoch(3, "b"),
            new FrameworkEpoch(2, "z"), false),
        new Row("an instance started after it", new FrameworkEpoch(3, "b"), new FrameworkEpoch(4, "a"), true),
        new Row("a twin of the same epoch with a higher incarnation wins", new FrameworkEpoch(3, "b"),
            new FrameworkEpoch(3, "c"), true),
        new Row("a twin of the same epoch with a lower incarnation loses", new FrameworkEpoch(3, "b"),
            new FrameworkEpoch(3, "a"), false),
        new Row("a registration from before epochs (0) never replaces", new FrameworkEpoch(1, "b"),
            new FrameworkEpoch(0, null), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldStopOnlyForANewerRegistration(Row row) {
    assertThat(row.mine().isReplacedBy(row.seen())).isEqualTo(row.replaced());
    if (row.replaced()) {
      assertThat(row.seen().isReplacedBy(row.mine())).as("the winner does not stop").isFalse();
    }
  }

  @ParameterizedTest(name = "after {0}")
  @MethodSource("latest")
  void shouldRegisterAboveTheLatestRegistration(Optional<Long> latest, long expected) {
    Optional<FrameworkInfo> info = latest.map(epoch -> FrameworkInfo.newBuilder().setFrameworkId("fw").setName("fw")
        .setRole("*").setRegisteredAt(Instant.EPOCH).setEpoch(epoch).build());

    assertThat(FrameworkEpoch.after(info, "x")).isEqualTo(new FrameworkEpoch(expected, "x"));
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> latest() {
    return Stream.of(org.junit.jupiter.params.provider.Arguments.of(Optional.empty(), 1L),
        org.junit.jupiter.params.provider.Arguments.of(Optional.of(0L), 1L),
        org.junit.jupiter.params.provider.Arguments.of(Optional.of(7L), 8L));
  }
}
