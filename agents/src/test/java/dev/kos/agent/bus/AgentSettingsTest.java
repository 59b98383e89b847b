package dev.kos.agent.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.bus.BusSettings;
import dev.kos.bus.catalog.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class AgentSettingsTest {
  private static final ResourceSet RESOURCES = new ResourceSet(4, 8192, 20000, List.of(new PortRange(31000, 32000)));
  private static final BusSettings BUS = new BusSettings("localhost:9092", "http://localhost:8081",
      TopicCatalog.defaults());

  /** Valid settings, one field changed by each row. */
  private record Change(String agentId, String hostname, Map<String, ResourceSet> reservations,
      Duration heartbeat, Duration metrics, int logBuffer) {
    AgentSettings build() {
      return new AgentSettings(agentId, hostname, RESOURCES, Map.of("rack", "r1"), reservations, Path.of("/tmp/a1"),
          BUS, heartbeat, metrics, logBuffer);
    }
  }

  private static final Change VALID = new Change("a1", "host-1",
      Map.of("spark", new ResourceSet(2, 4096, 0, List.of(new PortRange(31000, 31010)))),
      Duration.ofSeconds(5), Duration.ofSeconds(10), 10_000);

  private static Arguments row(String expected, UnaryOperator<Change> change) {
    return Arguments.of(expected, change);
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        row("invalid agent id ''", c -> new Change("", c.hostname(), c.reservations(), c.heartbeat(), c.metrics(),
            c.logBuffer())),
        row("invalid agent id 'a/1'", c -> new Change("a/1", c.hostname(), c.reservations(), c.heartbeat(),
            c.metrics(), c.logBuffer())),
        row("agent a1 needs a hostname", c -> new Change(c.agentId(), " ", c.reservations(), c.heartbeat(),
            c.metrics(), c.logBuffer())),
        row("reservations do not fit in the agent's resources: cpus reserved 5.0 of 4.0",
            c -> new Change(c.agentId(), c.hostname(), Map.of("spark", new ResourceSet(3, 0, 0, List.of()),
                "web", new ResourceSet(2, 0, 0, List.of())), c.heartbeat(), c.metrics(), c.logBuffer())),
        row("role spark reserves ports [9000-9001] the agent does not have",
            c -> new Change(c.agentId(), c.hostname(), Map.of("spark", new ResourceSet(0, 0, 0,
                List.of(new PortRange(9000, 9001)))), c.heartbeat(), c.metrics(), c.logBuffer())),
        row("heartbeat interval must be at least 100 ms, got 10 ms", c -> new Change(c.agentId(), c.hostname(),
            c.reservations(), Duration.ofMillis(10), c.metrics(), c.logBuffer())),
        row("agent settings need metrics interval", c -> new Change(c.agentId(), c.hostname(), c.reservations(),
            c.heartbeat(), null, c.logBuffer())),
        row("log buffer capacity must be at least 1 line, got 0", c -> new Change(c.agentId(), c.hostname(),
            c.reservations(), c.heartbeat(), c.metrics(), 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void shouldRefuseInvalidSettingsSayingWhy(String expected, UnaryOperator<Change> change) {
    assertThatThrownBy(() -> change.apply(VALID).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @ParameterizedTest(name = "{0} ms: {1}")
  @CsvSource(delimiter = '|', nullValues = "null", value = {
      "1000 | the task lease must be 0 (off) or at least 2 s, got 1000 ms",
      "2500 | the task lease must be whole seconds",
      "-1   | the task lease must be a duration of 0 (off) or more",
      "null | agent settings need task lease"})
  void shouldRefuseATaskLeaseTasksCannotKeepSayingWhy(Long millis, String expected) {
    assertThatThrownBy(() -> VALID.build().withTaskLease(millis == null ? null : Duration.ofMillis(millis)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void shouldAcceptValidSettingsAndDeriveTheExecutorsConfig() {
    AgentSettings settings = VALID.build();

    assertThat(settings.executorConfig().agentId()).isEqualTo("a1");
    assertThat(settings.executorConfig().resources()).isEqualTo(RESOURCES);
    assertThat(settings.executorConfig().checkpoints()).isEqualTo(Path.of("/tmp/a1/checkpoints"));
    assertThat(settings.executorConfig().taskLease().enabled()).as("an in-process agent has no lease").isFalse();
    assertThat(settings.withTaskLease(AgentSettings.DEFAULT_TASK_LEASE).executorConfig().taskLease().duration())
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(settings.executorConfig().leaseFile()).isEqualTo(Path.of("/tmp/a1/agent.lease"));
  }
}
