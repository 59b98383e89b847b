package dev.kos.frameworks.apps.core;

import static dev.kos.frameworks.apps.core.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which instances an app is reached at: only those that serve now, each with its host and ports. */
class EndpointsTest {

  private static final AppDefinition CHECKED = app("/web").port("http", 0).port("", 0).httpHealthCheck().version("v2")
      .build();
  private static final AppDefinition UNCHECKED = app("/web").port("http", 0).port("", 0).version("v2").build();

  record Row(String name, AppDefinition app, InstanceState state, boolean healthy, boolean listed) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("running and healthy", CHECKED, InstanceState.RUNNING, true, true),
        new Row("running, health not yet passed", CHECKED, InstanceState.RUNNING, false, false),
        new Row("running, no health check", UNCHECKED, InstanceState.RUNNING, false, true),
        new Row("staging", UNCHECKED, InstanceState.STAGING, false, false),
        new Row("starting", UNCHECKED, InstanceState.STARTING, false, false),
        new Row("being killed (leaves before the kill goes out)", CHECKED, InstanceState.KILLING, true, false),
        new Row("failed", CHECKED, InstanceState.FAILED, false, false),
        new Row("lost", UNCHECKED, InstanceState.LOST, false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldListAnInstanceOnlyWhileItServes(Row row) {
    Instance instance = instance("web.p1-0", row.app(), row.state(), row.healthy());

    Endpoints.AppEndpoints endpoints = Endpoints.of(Map.of("/web", row.app()), List.of(instance)).get("/web");

    assertThat(endpoints.appId()).isEqualTo("/web");
    assertThat(endpoints.version()).isEqualTo("v2");
    assertThat(endpoints.portNames()).containsExactly("http", "");
    if (row.listed()) {
      assertThat(endpoints.endpoints()).containsExactly(new Endpoints.Endpoint("web.p1-0", "web.p1-0.3", "a1",
          "host-a1", List.of(31000, 31001), "v1"));
    } else {
      assertThat(endpoints.endpoints()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void shouldNotListAnotherAppsInstances(Row row) {
    Instance other = new Instance("db.p1-0", "/db", "v1", new Agent("a1", "host-a1", Map.of()), 0,
        InstanceState.RUNNING, false, true, Instant.EPOCH, 0, Optional.empty(), Optional.empty(), List.of(5432));

    assertThat(Endpoints.of(Map.of("/web", row.app()), List.of(other)).get("/web").endpoints()).isEmpty();
  }

  private static Instance instance(String id, AppDefinition app, InstanceState state, boolean healthy) {
    return new Instance(id, app.id(), "v1", new Agent("a1", "host-a1", Map.of()), 3, state,
        !app.healthChecks().isEmpty(), healthy, Instant.EPOCH, 0, Optional.empty(), Optional.empty(),
        List.of(31000, 31001));
  }
}
