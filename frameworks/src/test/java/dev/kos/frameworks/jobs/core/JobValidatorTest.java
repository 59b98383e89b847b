package dev.kos.frameworks.jobs.core;

import static dev.kos.frameworks.jobs.core.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each mistake in a job spec is named by its field. */
class JobValidatorTest {

  private static final Instant NOW = Instant.parse("2026-03-02T12:03:00Z");

  record Row(String name, UnaryOperator<Jobs> change, String problem) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Row> rows() {
    return Stream.of(
        new Row("id with a slash", j -> j.id("team/x"), "id: 'team/x' must be 1-64 letters"),
        new Row("empty id", j -> j.id(""), "id: '' must be"),
        new Row("neither cmd nor argv", j -> j.cmd(null), "cmd: give a shell line in cmd"),
        new Row("blank cmd", j -> j.cmd("  "), "cmd: give a shell line in cmd"),
        new Row("cmd and argv", j -> j.argv("echo", "hi"), "cmd: give either cmd (a shell line) or argv, not both"),
        new Row("no cpus", j -> j.cpus(0), "cpus: must be more than 0, was 0.0"),
        new Row("NaN mem", j -> j.mem(Double.NaN), "mem: must be more than 0, was NaN"),
        new Row("negative disk", j -> j.disk(-1), "disk: must be 0 or more MiB, was -1.0"),
        new Row("negative retries", j -> j.retries(-1), "retries: must be between 0 and 100, was -1"),
        new Row("too many retries", j -> j.retries(101), "retries: must be between 0 and 100, was 101"),
        new Row("zero deadline", j -> j.deadline(Duration.ZERO), "deadlineSeconds: must be at least 1, was 0"),
        new Row("bad cron", j -> j.schedule("61 * * * *"), "schedule: '61 * * * *': minute field '61' is out of range"),
        new Row("cron that never fires", j -> j.schedule("0 0 30 2 *"), "schedule: '0 0 30 2 *' never fires"),
        new Row("another role", j -> j.role("web"), "role: job hello asks for role web, but the jobs framework"));
  }

  @ParameterizedTest
  @MethodSource("rows")
  void shouldNameTheField(Row row) {
    assertThat(new JobValidator("jobs").problems(row.change().apply(job("hello")).build(), NOW))
        .singleElement().asString().startsWith(row.problem());
  }

  @Test
  void shouldAcceptAValidJob() {
    assertThat(new JobValidator("jobs").problems(job("hello").schedule("*/5 * * * *").deadline(Duration.ofSeconds(30))
        .retries(3).build(), NOW)).isEmpty();
    assertThat(new JobValidator("jobs").problems(job("hello").cmd(null).argv("echo", "hi").build(), NOW)).isEmpty();
  }
}
