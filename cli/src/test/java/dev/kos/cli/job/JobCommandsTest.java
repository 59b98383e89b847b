package dev.kos.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.Kos;
import dev.kos.schema.JobRun;
import dev.kos.schema.JobSpec;
import dev.kos.schema.JobState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job commands' parts that need no bus: the schema check before sending, and the listing's row. */
class JobCommandsTest {

  private static final Instant T = Instant.parse("2026-03-02T12:03:00.250Z");

  @TempDir
  Path dir;

  @Test
  void shouldSendNothingWhenTheSpecDoesNotFitTheSchema() throws Exception {
    Path spec = Files.writeString(dir.resolve("bad.json"), "{\"id\": \"hello\", \"cmd\": \"true\", \"cpus\": \"lots\"}");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = Kos.run(Map.of("KOS_HOME", dir.resolve("home").toString()), new PrintWriter(out), new PrintWriter(err),
        "job", "run", spec.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("is not a valid JobSpec, nothing was sent", "cpus");
  }

  @Test
  void shouldListTheLastRunTheNextFireTimeAndWhyTheJobWaits() {
    JobRun run = JobRun.newBuilder().setRunId("report.7").setNumber(7).setAttempt(0).setState("WAITING").build();
    JobState waiting = JobState.newBuilder().setJobId("report")
        .setSpec(JobSpec.newBuilder().setId("report").setCmd("./report.sh").setSchedule("*/5 * * * *").build())
        .setRunCount(7).setNextRunAt(T).setWaiting("waiting: role jobs is held back").setRuns(List.of(run))
        .setUpdatedAt(T).build();
    JobState fresh = JobState.newBuilder().setJobId("nightly")
        .setSpec(JobSpec.newBuilder().setId("nightly").setCmd("true").setSchedule("0 3 * * *").build())
        .setUpdatedAt(T).build();

    assertThat(JobListCommand.row(waiting)).containsExactly("report", "*/5 * * * *", "report.7", "WAITING",
        "2026-03-02T12:03:00Z", "waiting: role jobs is held back");
    assertThat(JobListCommand.row(fresh)).containsExactly("nightly", "0 3 * * *", "-", "-", "-", "-");
  }
}
