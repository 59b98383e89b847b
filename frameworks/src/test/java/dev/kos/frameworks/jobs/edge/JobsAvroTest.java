package dev.kos.frameworks.jobs.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.JobDefinition;
import dev.kos.frameworks.jobs.core.Run;
import dev.kos.frameworks.jobs.core.RunState;
import dev.kos.frameworks.jobs.core.TaskUpdate;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.JobSpec;
import dev.kos.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bus records and core records map both ways without losing anything the framework resumes from. */
class JobsAvroTest {

  private static final Instant T = Instant.parse("2026-03-02T12:03:00Z");

  @Test
  void shouldRoundTripAJobThroughItsStateRecord() {
    JobDefinition definition = new JobDefinition("report", Optional.empty(), List.of("sh", "-c", "exit 1"), 0.5, 64,
        10, Map.of("A", "b"), Optional.of("*/5 * * * *"), 2, Optional.of(Duration.ofSeconds(30)), "jobs");
    Run ended = new Run("report.1", 1, 2, 1, RunState.FINISHED, Optional.of("report.1.2"), Optional.of("a1"),
        Optional.of(T), Optional.of(T.plusSeconds(5)), Optional.empty(), "attempt 2 finished");
    Run waiting = new Run("report.2", 2, 1, 1, RunState.WAITING, Optional.of("report.2.1"), Optional.of("a2"),
        Optional.of(T.plusSeconds(300)), Optional.empty(), Optional.of(T.plusSeconds(301)), "retry 1 of 2");
    Job job = new Job(definition, List.of(ended, waiting), 2, Optional.of(T.plusSeconds(600)),
        Optional.of("waiting: role jobs is held back"));

    assertThat(JobsAvro.job(JobsAvro.state(job, T))).isEqualTo(job);
  }

  @Test
  void shouldTakeTheSpecDefaultsAndTheExitCodeOfAFailure() {
    JobDefinition definition = JobsAvro.definition(JobSpec.newBuilder().setId("hello").setCmd("echo hi").build());
    assertThat(definition.role()).isEqualTo("jobs");
    assertThat(definition.schedule()).isEmpty();
    assertThat(definition.deadline()).isEmpty();
    assertThat(JobsAvro.spec(definition)).isEqualTo(JobSpec.newBuilder().setId("hello").setCmd("echo hi").build());

    TaskStatusUpdate failed = new TaskStatusUpdate("hello.1.1", "jobs", "a1", Optional.empty(), TaskState.FAILED,
        Optional.empty(), Optional.of(3), Optional.empty(), Optional.empty(), Optional.empty(), T);
    assertThat(TaskUpdate.of(failed).phase()).isEqualTo(TaskState.FAILED);
    assertThat(TaskUpdate.of(failed).message()).isEqualTo("exit code 3");
    TaskStatusUpdate said = new TaskStatusUpdate("hello.1.1", "jobs", "a1", Optional.empty(), TaskState.FAILED,
        Optional.of("exited with code 3"), Optional.of(3), Optional.empty(), Optional.empty(), Optional.empty(), T);
    assertThat(TaskUpdate.of(said).message()).isEqualTo("exited with code 3");
  }
}
