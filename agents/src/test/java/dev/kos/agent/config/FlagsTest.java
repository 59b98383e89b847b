package dev.kos.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The duration and reservation flags of `kos agent` and `kos agent-sim`. */
class FlagsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"500ms, 500", "5s, 5000", "1.5s, 1500", "2m, 120000", "1h, 3600000", "' 3 s ', 3000"})
  void shouldParseDurationsAsPeopleWriteThem(String flag, long millis) {
    assertThat(DurationFlag.parse(flag)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"5", "s", "-5s", "5 days", "PT5S"})
  void shouldRefuseDurationsWithoutAUnitItKnows(String flag) {
    assertThatThrownBy(() -> DurationFlag.parse(flag))
        .hasMessage("invalid duration '" + flag + "': expected a number and a unit, e.g. 500ms, 5s, 2m or 1h");
  }

  @Test
  void shouldParseOneReservationPerRoleWithOnlyWhatItNames() {
    Map<String, ResourceSet> reservations = ReservationFlag.parse(
        List.of("spark=cpus:2;mem:4096", "web=ports:[31000-31010]"));

    assertThat(reservations).containsExactly(
        Map.entry("spark", new ResourceSet(2, 4096, 0, List.of())),
        Map.entry("web", new ResourceSet(0, 0, 0, List.of(new PortRange(31000, 31010)))));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "cpus:2 | invalid --reserve 'cpus:2': expected ROLE=RESOURCES",
      "=cpus:2 | invalid --reserve '=cpus:2': expected ROLE=RESOURCES",
      "spark=gpus:1 | invalid --reserve for role spark: invalid --resources entry 'gpus:1'"})
  void shouldRefuseBadReservations(String flag, String message) {
    assertThatThrownBy(() -> ReservationFlag.parse(List.of(flag))).hasMessageStartingWith(message);
  }

  @Test
  void shouldRefuseARoleReservedTwice() {
    assertThatThrownBy(() -> ReservationFlag.parse(List.of("spark=cpus:1", "spark=mem:1")))
        .hasMessage("invalid --reserve: role spark is given twice");
  }
}
