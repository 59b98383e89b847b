package dev.kos.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskModelTest {

  @ParameterizedTest(name = "{0} terminal: {1}")
  @CsvSource({"STAGING, false", "STARTING, false", "RUNNING, false", "FINISHED, true", "FAILED, true",
      "KILLED, true", "LOST, true", "DROPPED, true", "ERROR, true"})
  void shouldEndATaskInEveryStateAfterRunning(TaskState state, boolean terminal) {
    assertThat(state.terminal()).isEqualTo(terminal);
  }

  @Test
  void shouldKeepATasksPortsInOrderApartFromItsResources() {
    assertThatThrownBy(() -> new TaskSpec("t1", "t1", "fw", Optional.empty(), CommandSpec.shell("true"),
        Resources.of(1, 64).withPorts(Ports.range(31000, 31000)), List.of(), List.of(), List.of(), Optional.empty(),
        Map.of())).hasMessageContaining("give its ports in order in ports");
  }

  @Test
  void shouldCountAnOffersReservationsInItsTotal() {
    OfferView offer = new OfferView("o1", "fw", "a1", "h1", Resources.of(1, 512),
        List.of(new Reservation("web", Resources.of(0.5, 256).withPorts(Ports.range(31000, 31001))),
            new Reservation("db", Resources.of(1, 1024))),
        Map.of("rack", "r1"), Instant.EPOCH, Instant.EPOCH);

    assertThat(offer.reserved()).isEqualTo(Resources.of(1.5, 1280).withPorts(Ports.range(31000, 31001)));
    assertThat(offer.total()).isEqualTo(Resources.of(2.5, 1792).withPorts(Ports.range(31000, 31001)));
    assertThat(offer.attribute("rack")).contains("r1");
    assertThat(offer.attribute("zone")).isEmpty();
  }

  @Test
  void shouldTellAReconciliationsUnknownTaskFromALostOne() {
    assertThat(TaskStatusUpdate.of("t1", "fw", "", TaskState.LOST, "kos knows no task t1", Instant.EPOCH)
        .unknownToKos()).isTrue();
    assertThat(TaskStatusUpdate.of("t1", "fw", "a1", TaskState.LOST, "agent gone", Instant.EPOCH).unknownToKos())
        .isFalse();
  }
}
