package dev.kos.frameworks.jobs.core;

import static dev.kos.frameworks.jobs.core.Jobs.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.frameworks.jobs.core.JobEvent.Kind;
import dev.kos.model.Resources;
import dev.kos.model.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The jobs core as a specification: one scenario per rule, driven through {@link JobsHarness}. */
class JobsCoreTest {

  private final JobsHarness h = new JobsHarness();

  @Test
  void shouldRunAOnceJobOnTheFirstOfferThatFitsAndDeclineTheRest() {
    assertThat(h.submit(job("hello").cpus(2))).isInstanceOf(Submitted.Accepted.class);
    assertThat(h.core.wantsOffers(h.jobs, h.now)).isTrue();

    h.planWithOffers(1, "a1");
    h.planWithOffers(4, "a2", "a3");

    assertThat(h.launches()).singleElement().satisfies(launch -> {
      assertThat(launch.agentId()).isEqualTo("a2");
      assertThat(launch.taskId()).isEqualTo("hello.1.1");
    });
    assertThat(h.decisions).filteredOn(JobDecision.Decline.class::isInstance).hasSize(2);
    assertThat(h.current("hello").state()).isEqualTo(RunState.LAUNCHED);
    assertThat(h.core.wantsOffers(h.jobs, h.now)).isFalse();

    h.status("hello.1.1", TaskState.STARTING);
    h.status("hello.1.1", TaskState.RUNNING);
    h.status("hello.1.1", TaskState.FINISHED);

    assertThat(h.kinds()).containsExactly(Kind.JOB_ACCEPTED, Kind.JOB_WAITING, Kind.JOB_STARTED, Kind.JOB_FINISHED);
    assertThat(h.job("hello").current()).isEmpty();
    assertThat(h.job("hello").last().orElseThrow().state()).isEqualTo(RunState.FINISHED);
  }

  @Test
  void shouldPackSeveralJobsOnOneOffer() {
    h.submit(job("a").cpus(1));
    h.submit(job("b").cpus(1));
    h.submit(job("c").cpus(1));

    h.planWithOffers(2, "a1");

    assertThat(h.launches()).extracting(JobDecision.Launch::taskId).containsExactly("a.1.1", "b.1.1");
    assertThat(h.job("c").waiting()).contains("waiting: no offer fits 1 cpus, 64 MiB mem, 0 MiB disk"
        + " (the largest left had 0 cpus, 896 MiB mem, 1024 MiB disk)");
  }

  @Test
  void shouldSayTheRoleIsHeldBackAndSayItOnlyWhenItChanges() {
    h.utilization(18.6, 0.9).submit(job("hello"));

    h.plan();
    h.plan();

    assertThat(h.job("hello").waiting())
        .contains("waiting: role jobs is held back while cluster utilization 93% ≥ 90% threshold");
    assertThat(h.events).filteredOn(e -> e.kind() == Kind.JOB_WAITING).singleElement()
        .extracting(JobEvent::message).asString()
        .isEqualTo("run hello.1 waiting: role jobs is held back while cluster utilization 93% ≥ 90% threshold");

    h.utilization(4, 0.9).plan();

    assertThat(h.job("hello").waiting()).contains("waiting for an offer in role jobs for 0.5 cpus, 64 MiB mem,"
        + " 0 MiB disk");
    assertThat(h.events).filteredOn(e -> e.kind() == Kind.JOB_WAITING).hasSize(2);
  }

  @Test
  void shouldNameTheRoleWhoseThresholdHoldsJobsBack() {
    h.utilization(16, 0.95);
    h.cluster = h.cluster.withRole(new RoleLimit("analytics", 5, OptionalDouble.of(0.75)));
    h.submit(job("hello"));

    h.plan();

    assertThat(h.job("hello").waiting()).contains("waiting: role jobs is held back while cluster utilization 80%"
        + " ≥ 75% threshold (of role analytics, whose priority is not lower)");
  }

  @Test
  void shouldIgnoreTheThresholdOfALowerPriorityRoleAndReportsOfGoneAgents() {
    h.utilization(16, 0.95);
    h.cluster = h.cluster.withRole(new RoleLimit("spark", -5, OptionalDouble.of(0.5)))
        .withAgent(new AgentLoad("gone", Resources.of(100, 0, 0), Resources.of(0, 0, 0), h.now.minusSeconds(600)));

    assertThat(h.cluster.utilization(h.now)).isEqualTo(0.8);
    assertThat(h.cluster.heldBack("jobs", h.now)).isEmpty();
  }

  @Test
  void shouldRetryAFailedRunAfterABackoffUntilTheRetriesAreSpent() {
    h.submit(job("flaky").retries(2));
    h.planWithOffers(1, "a1");
    h.status("flaky.1.1", TaskState.FAILED);

    assertThat(h.current("flaky").retryAt()).contains(h.now.plusSeconds(1));
    assertThat(h.core.wantsOffers(h.jobs, h.now)).isFalse();
    assertThat(h.core.wakeUpAt(h.jobs, h.now)).contains(h.now.plusSeconds(1));
    h.planWithOffers(1, "a1");
    assertThat(h.launches()).hasSize(1);

    h.advance(Duration.ofSeconds(1)).planWithOffers(1, "a1");
    h.status("flaky.1.2", TaskState.LOST);
    assertThat(h.current("flaky").retryAt()).contains(h.now.plusSeconds(2));
    h.advance(Duration.ofSeconds(2)).planWithOffers(1, "a1");
    h.status("flaky.1.3", TaskState.FAILED);

    assertThat(h.launches()).extracting(JobDecision.Launch::taskId).containsExactly("flaky.1.1", "flaky.1.2", "flaky.1.3");
    assertThat(h.kinds()).containsSubsequence(Kind.JOB_RETRY, Kind.JOB_RETRY, Kind.JOB_FAILED);
    Run run = h.job("flaky").last().orElseThrow();
    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.failures()).isEqualTo(3);
    assertThat(run.message()).isEqualTo("attempt 3 FAILED; no retries left (2)");
    h.advance(Duration.ofMinutes(10)).planWithOffers(1, "a1");
    assertThat(h.launches()).hasSize(3);
  }

  @Test
  void shouldRelaunchADroppedAttemptWithoutCountingAFailure() {
    h.submit(job("hello"));
    h.planWithOffers(1, "a1");
    h.status("hello.1.1", TaskState.DROPPED);

    assertThat(h.current("hello").failures()).isZero();
    assertThat(h.core.wantsOffers(h.jobs, h.now)).isTrue();
    h.planWithOffers(1, "a1");
    assertThat(h.launches()).extracting(JobDecision.Launch::taskId).containsExactly("hello.1.1", "hello.1.2");
  }

  @Test
  void shouldKillARunPastItsDeadlineAndFailItWithoutRetrying() {
    h.submit(job("slow").deadline(Duration.ofSeconds(10)).retries(3));
    h.planWithOffers(1, "a1");
    h.status("slow.1.1", TaskState.RUNNING);
    assertThat(h.core.wakeUpAt(h.jobs, h.now)).contains(h.now.plusSeconds(10));

    h.advance(Duration.ofSeconds(9)).plan();
    assertThat(h.decisions).noneMatch(JobDecision.Kill.class::isInstance);
    h.advance(Duration.ofSeconds(1)).plan();

    assertThat(h.decisions).filteredOn(JobDecision.Kill.class::isInstance).singleElement()
        .isEqualTo(new JobDecision.Kill("a1", "slow.1.1", "deadline of 10 s exceeded"));
    assertThat(h.current("slow").state()).isEqualTo(RunState.KILLING);
    h.plan();
    assertThat(h.decisions).filteredOn(JobDecision.Kill.class::isInstance).hasSize(1);

    h.status("slow.1.1", TaskState.KILLED);

    assertThat(h.kinds()).containsSubsequence(Kind.JOB_STARTED, Kind.JOB_DEADLINE_EXCEEDED, Kind.JOB_FAILED);
    assertThat(h.job("slow").last().orElseThrow().message())
        .isEqualTo("deadline of 10 s exceeded; attempt 1 was killed");
    assertThat(h.job("slow").current()).isEmpty();
  }

  @Test
  void shouldFailARunWhoseDeadlinePassesWhileItWaitsToRetry() {
    h.submit(job("slow").deadline(Duration.ofSeconds(10)).retries(3));
    h.planWithOffers(1, "a1");
    h.advance(Duration.ofSeconds(9)).status("slow.1.1", TaskState.FAILED);

    h.advance(Duration.ofSeconds(1)).plan();

    assertThat(h.kinds()).endsWith(Kind.JOB_DEADLINE_EXCEEDED, Kind.JOB_FAILED);
    assertThat(h.job("slow").last().orElseThrow().state()).isEqualTo(RunState.FAILED);
  }

  @Test
  void shouldStartARunAtEachFireTimeAndSkipOneThatComesWhileTheLastStillRuns() {
    h.submit(job("report").schedule("*/5 * * * *"));
    assertThat(h.job("report").runs()).isEmpty();
    assertThat(h.job("report").nextRunAt()).contains(Instant.parse("2026-03-02T12:05:00Z"));
    assertThat(h.core.wantsOffers(h.jobs, h.now)).isFalse();
    assertThat(h.core.wakeUpAt(h.jobs, h.now)).contains(Instant.parse("2026-03-02T12:05:00Z"));

    h.advance(Duration.ofMinutes(2)).planWithOffers(1, "a1");
    h.status("report.1.1", TaskState.RUNNING);
    h.advance(Duration.ofMinutes(5)).plan();

    assertThat(h.kinds()).contains(Kind.JOB_SKIPPED);
    assertThat(h.job("report").nextRunAt()).contains(Instant.parse("2026-03-02T12:15:00Z"));
    h.status("report.1.1", TaskState.FINISHED);
    h.advance(Duration.ofMinutes(5)).planWithOffers(1, "a1");
    assertThat(h.launches()).extracting(JobDecision.Launch::taskId).containsExactly("report.1.1", "report.2.1");
  }

  @Test
  void shouldKeepOnlyTheLatestRuns() {
    JobsHarness small = new JobsHarness(new JobsConfig(Duration.ofSeconds(1), Duration.ofMinutes(1), 2,
        Duration.ofSeconds(5), Duration.ofMinutes(2)));
    for (int run = 1; run <= 3; run++) {
      small.submit(job("hello"));
      small.planWithOffers(1, "a1");
      small.status("hello." + run + ".1", TaskState.FINISHED);
    }
    assertThat(small.job("hello").runs()).extracting(Run::runId).containsExactly("hello.2", "hello.3");
    assertThat(small.job("hello").runCount()).isEqualTo(3);
  }

  @Test
  void shouldRejectARunWhileOneIsInProgressAndABadSpecNamingTheField() {
    h.submit(job("hello"));

    assertThat(h.submit(job("hello"))).isEqualTo(new Submitted.Rejected(
        "job hello has run hello.1 in progress (WAITING); run it again once that run ended"));
    assertThat(h.submit(job("bad").cpus(-1).schedule("* *"))).isInstanceOfSatisfying(Submitted.Rejected.class,
        rejected -> assertThat(rejected.reason()).startsWith("job bad: cpus: must be more than 0")
            .contains("; schedule: '* *' has 2 fields"));
    assertThat(h.jobs).containsOnlyKeys("hello");
  }

  @Test
  void shouldIgnoreReportsOfTasksItDoesNotKnow() {
    h.submit(job("hello"));
    Step step = h.status("other.1.1", TaskState.FAILED);
    assertThat(step.events()).isEmpty();
    assertThat(step.jobs()).isEqualTo(h.jobs);
  }
}
