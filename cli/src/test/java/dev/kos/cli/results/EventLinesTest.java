package dev.kos.cli.results;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.Fixtures;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.ScaleTarget;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Instant;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventLinesTest {

  private static final Instant AT = Instant.parse("2026-11-25T05:00:00.123Z");

  static Stream<Arguments> records() {
    TaskStatus healthy = TaskStatus.newBuilder(Fixtures.task("web.i1.0", "/web", "a1", TaskState.RUNNING, "started", AT))
        .setHealthy(true).build();
    return Stream.of(
        Arguments.of("a status event",
            StatusEvent.newBuilder().setTarget("/web").setFramework("apps").setKind("DEPLOYMENT_STARTED")
                .setMessage("deploying 3 instances").setTimestamp(AT).build(),
            "2026-11-25T05:00:00Z  status   /web                                  DEPLOYMENT_STARTED   deploying 3 instances (apps)"),
        Arguments.of("a scale decision",
            ScaleDecision.newBuilder().setTarget("/web").setKind(ScaleTarget.SERVICE).setFrom(3).setTo(5)
                .setReason("requestsPerSecond 180 per instance, target 100").setPolicy("rps").setMode(ScaleMode.AUTOMATIC)
                .setTimestamp(AT).build(),
            "2026-11-25T05:00:00Z  scale    /web                                  3 -> 5 AUTOMATIC     "
                + "requestsPerSecond 180 per instance, target 100 (policy rps)"),
        Arguments.of("a cluster scale decision says so",
            ScaleDecision.newBuilder().setTarget("local").setKind(ScaleTarget.CLUSTER).setFrom(3).setTo(4)
                .setReason("cpus 95% used").setPolicy("cluster").setMode(ScaleMode.ADVISORY).setTimestamp(AT).build(),
            "2026-11-25T05:00:00Z  scale    cluster local                         3 -> 4 ADVISORY      cpus 95% used (policy cluster)"),
        Arguments.of("an accepted command",
            Fixtures.result("c1", CommandStatus.ACCEPTED, null, "d1"),
            "2026-11-25T05:00:00Z  command  c1                                    ACCEPTED             by apps, deployment d1"),
        Arguments.of("a rejected command",
            Fixtures.result("c2", CommandStatus.REJECTED, "no app /nope", null),
            "2026-11-25T05:00:00Z  command  c2                                    REJECTED             by apps: no app /nope"),
        Arguments.of("a task state with its health",
            healthy,
            "2026-11-25T05:00:00Z  task     web.i1.0                              RUNNING              app /web on a1, healthy: started"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void shouldWriteOneAlignedLineTimeFirst(String name, SpecificRecord value, String expected) {
    assertThat(EventLines.format(value, Instant.EPOCH)).isEqualTo(expected);
  }

  @Test
  void shouldShowARecordThatDoesNotDecodeWithItsReason() {
    assertThat(EventLines.undecodable("kos.status", AT, "magic byte 7"))
        .isEqualTo("2026-11-25T05:00:00Z  bad      kos.status                            UNDECODABLE          magic byte 7");
  }
}
