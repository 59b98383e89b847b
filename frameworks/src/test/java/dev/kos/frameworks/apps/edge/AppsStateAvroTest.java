package dev.kos.frameworks.apps.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.frameworks.apps.core.Agent;
import dev.kos.frameworks.apps.core.AppDefinition;
import dev.kos.frameworks.apps.core.HandledCommand;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.apps.core.InstanceVolume;
import dev.kos.frameworks.apps.core.Residency;
import dev.kos.model.Resources;
import dev.kos.schema.AppSpec;
import dev.kos.schema.AppState;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.ScalingPolicy;
import dev.kos.schema.Volume;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AppsStateAvroTest {

  private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
  private static final Agent A1 = new Agent("a1", "host-1", Map.of("rack", "r1"));

  @Test
  void shouldRestoreAnAppAndItsInstancesAsTheyWereWritten() {
    AppDefinition app = AppsAvro.app(AppSpec.newBuilder().setId("/team-a/db").setCmd("./db").setInstances(2)
        .setVolumes(List.of(new Volume("data", "*", 64.0, "data")))
        .setScaling(ScalingPolicy.newBuilder().setMetric("rps").setTarget(50).setMode(ScaleMode.AUTOMATIC).build())
        .build(), "v7");
    Instance resident = new Instance("db.p1-0", "/team-a/db", "v7", A1, 2, InstanceState.RUNNING, true, true, AT, 1,
        Optional.of(AT.minusSeconds(5)), Optional.of(new Residency(A1, Resources.of(1, 256, 74),
            List.of(new InstanceVolume("data.db.p1-0.0", "data", 64)))), List.of(31000, 31001));
    Instance lost = new Instance("db.p1-1", "/team-a/db", "v6", Agent.of("a2"), 0, InstanceState.LOST, false, false,
        AT, 0, Optional.empty(), Optional.empty(), List.of());

    AppState state = AppsStateAvro.state(app.id(), Optional.of(app), null, null, List.of(resident, lost),
        Optional.of("d9"), Optional.of("1 unplaced"), 42,
        List.of(new HandledCommand("c1", "/team-a/db", true, "d9"), new HandledCommand("c2", "/team-a/db", false, "no")),
        AT);
    AppsStateAvro.Restored restored = AppsStateAvro.restore(state);

    assertThat(restored.app()).contains(app);
    assertThat(restored.instances()).containsExactly(resident, lost);
    assertThat(restored.deploymentId()).contains("d9");
    assertThat(restored.planCounter()).isEqualTo(42);
    assertThat(restored.handled()).containsExactly(new HandledCommand("c1", "/team-a/db", true, "d9"),
        new HandledCommand("c2", "/team-a/db", false, "no"));
    assertThat(state.getSpec().getScaling().getMode()).isEqualTo(ScaleMode.AUTOMATIC);
  }

  @Test
  void shouldRestoreARemovedAppAsInstancesOnly() {
    AppSpec spec = AppSpec.newBuilder().setId("/web").setCmd("./web").build();
    Instance killing = new Instance("web.p1-0", "/web", "v1", A1, 0, InstanceState.KILLING, false, true, AT, 0,
        Optional.empty(), Optional.empty(), List.of());

    AppsStateAvro.Restored restored = AppsStateAvro.restore(AppsStateAvro.state("/web", Optional.empty(), spec, "v1",
        List.of(killing), Optional.empty(), Optional.empty(), 3, List.of(), AT));

    assertThat(restored.app()).isEmpty();
    assertThat(restored.instances()).containsExactly(killing);
  }
}
