package dev.kos.cli.app;

import static dev.kos.cli.Fixtures.app;
import static dev.kos.cli.Fixtures.healthChecked;
import static dev.kos.cli.Fixtures.instance;
import static dev.kos.cli.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.Constraint;
import dev.kos.schema.ConstraintOperator;
import dev.kos.schema.InstanceSnapshot;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AppViewTest {

  static Stream<Arguments> apps() {
    AppState removed = AppState.newBuilder(app(spec("/old", 2), null, null, instance("i1", "a1", "KILLING", null)))
        .setRemoved(true).build();
    return Stream.of(
        Arguments.of("running of wanted, no health checks",
            app(spec("/web", 5), "d1", null, instance("i1", "a1", "RUNNING", null),
                instance("i2", "a2", "STAGING", null)),
            new String[] {"/web", "1/5", "-", "v1", "d1", "*"}),
        Arguments.of("healthy of wanted when checked",
            app(healthChecked(spec("/api", 2)), null, null, instance("i1", "a1", "RUNNING", true),
                instance("i2", "a2", "RUNNING", false)),
            new String[] {"/api", "2/2", "1/2", "v1", "-", "*"}),
        Arguments.of("a removed app wants nothing and says it is being removed",
            removed, new String[] {"/old", "0/0", "-", "v1", "removing", "*"}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("apps")
  void shouldListAnAppInOneRow(String name, AppState app, String[] row) {
    assertThat(AppView.listRow(app)).containsExactly(row);
  }

  @Test
  void shouldShowWhyInstancesAreUnplaced() {
    AppSpec spec = AppSpec.newBuilder(spec("/web", 5))
        .setConstraints(List.of(new Constraint("hostname", ConstraintOperator.UNIQUE, null))).build();
    AppState app = app(spec, "d2", "2 instances of /web unplaced: UNIQUE hostname leaves no agent",
        instance("i1", "a1", "RUNNING", null), instance("i2", "a2", "RUNNING", null),
        instance("i3", "a3", "RUNNING", null));

    assertThat(AppView.summary(app)).containsExactly(
        "app:         /web",
        "role:        *",
        "command:     sleep 3600",
        "resources:   cpus 0.5, mem 64 MiB, disk 0 MiB",
        "instances:   3 running of 5 wanted",
        "constraints: hostname UNIQUE",
        "version:     v1",
        "deployment:  d2",
        "unplaced:    2 instances of /web unplaced: UNIQUE hostname leaves no agent");
  }

  @Test
  void shouldNameTheTaskOfAnInstanceAsTheAppsFrameworkDoes() {
    assertThat(AppView.instanceRow(instance("web-7", "a2", "RUNNING", true)))
        .containsExactly("web-7", "web-7.0", "a2", "RUNNING", "yes", "v1", "-");
  }

  @Test
  void shouldShowWhereAnInstanceListens() {
    InstanceSnapshot listening = InstanceSnapshot.newBuilder(instance("web-7", "a2", "RUNNING", true))
        .setHostname("host-a2").setPorts(List.of(31000, 31001)).build();

    assertThat(AppView.instanceRow(listening)).endsWith("host-a2:31000,31001");
  }
}
