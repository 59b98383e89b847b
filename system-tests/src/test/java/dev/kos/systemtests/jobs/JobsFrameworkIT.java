package dev.kos.systemtests.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.InProcessKos;
import dev.kos.systemtests.Occupier;
import dev.kos.frameworks.jobs.JobsFramework;
import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.JobsConfig;
import dev.kos.frameworks.jobs.core.Run;
import dev.kos.frameworks.jobs.core.RunState;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs framework on the real bus with the allocator and two real agents: a job waits while another
 * framework holds the cluster above the jobs role's threshold and says why, runs once the capacity is
 * freed; a failing job is retried up to its limit, a job past its deadline is killed, a bad spec is
 * rejected naming the field; a restarted framework resumes its jobs from kos.jobs and learns how a task
 * ended while it was away; a scheduled job runs at its fire times.
 */
@ExtendWith(KafkaBrokerExtension.class)
class JobsFrameworkIT {

  private static final JobsConfig FAST_RETRIES = new JobsConfig(Duration.ofMillis(200), Duration.ofSeconds(2), 10,
      Duration.ofSeconds(1), Duration.ofMinutes(2));

  @TempDir
  Path dir;

  @Test
  void shouldWaitWhileTheRoleIsHeldBackThenRunRetryAndEnforceDeadlines(@BootstrapServers String bootstrap)
      throws Exception {
    Path release = dir.resolve("release");
    Occupier occupier = new Occupier(3, "while [ ! -f " + release + " ]; do sleep 0.2; done");
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      bus.publish(Topics.ROLES, "jobs", RoleInfo.newBuilder().setRole("jobs").setPriority(-1)
          .setMaxClusterUtilization(0.5).build());
      InProcessKos kos = InProcessKos.on(bus, dir.resolve("home"));
      try (AllocatorService allocator = AllocatorService.start(bus.bus(), AllocatorSettings.defaults(),
              "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
          BusAgent a1 = agent(bus, "a1");
          BusAgent a2 = agent(bus, "a2");
          BusSchedulerDriver web = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("web", "web"), occupier,
              Clock.systemUTC()).start()) {
        TestBus.await("3 of the 4 cpus held by web", () -> occupier.running() == 3);

        try (JobsFramework jobs = new JobsFramework(bus.bus(), JobsFramework.ROLE, FAST_RETRIES, Clock.systemUTC())
            .start()) {
          InProcessKos.Result run = kos.run("job", "run", spec("hello.json", "{\"id\": \"hello\", \"cmd\": \"echo hi\","
              + " \"cpus\": 0.5, \"mem\": 32}"));
          assertThat(run.exitCode()).as(run.toString()).isZero();
          assertThat(run.out()).contains("accepted by jobs: job hello accepted: runs once, now");

          String heldBack = "waiting: role jobs is held back while cluster utilization 75% ≥ 50% threshold";
          TestBus.await("hello waiting for the held-back role",
              () -> jobs.jobs().get("hello").waiting().filter(heldBack::equals).isPresent());
          assertThat(jobs.jobs().get("hello").current().orElseThrow().state()).isEqualTo(RunState.WAITING);
          assertThat(statusEvents(bus, "hello", "JOB_WAITING")).extracting(StatusEvent::getMessage)
              .contains("run hello.1 " + heldBack);
          InProcessKos.Result list = kos.run("job", "list");
          assertThat(list.out()).as(list.toString()).contains("hello", "hello.1", "WAITING", heldBack);

          Files.createFile(release);
          TestBus.await("hello finished once web let go", () -> lastState(jobs, "hello") == RunState.FINISHED);
          assertThat(statusEvents(bus, "hello", null)).extracting(StatusEvent::getKind)
              .containsSubsequence("JOB_ACCEPTED", "JOB_WAITING", "JOB_STARTED", "JOB_FINISHED");

          InProcessKos.Result bad = kos.run("job", "run", spec("bad.json", "{\"id\": \"bad\", \"cmd\": \"true\","
              + " \"cpus\": -1, \"schedule\": \"61 * * * *\"}"));
          assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
          assertThat(bad.err()).contains("rejected by jobs: job bad: cpus: must be more than 0, was -1.0;"
              + " schedule: '61 * * * *': minute field '61' is out of range 0-59");

          assertThat(kos.run("job", "run", spec("flaky.json", "{\"id\": \"flaky\", \"cmd\": \"exit 3\","
              + " \"cpus\": 0.1, \"mem\": 32, \"retries\": 2}")).exitCode()).isZero();
          assertThat(kos.run("job", "run", spec("slow.json", "{\"id\": \"slow\", \"cmd\": \"sleep 60\","
              + " \"cpus\": 0.1, \"mem\": 32, \"retries\": 3, \"deadlineSeconds\": 2}")).exitCode()).isZero();
          TestBus.await("flaky failed for good", () -> lastState(jobs, "flaky") == RunState.FAILED);
          TestBus.await("slow failed at its deadline", () -> lastState(jobs, "slow") == RunState.FAILED);

          Run flaky = jobs.jobs().get("flaky").last().orElseThrow();
          assertThat(flaky.attempt()).isEqualTo(3);
          assertThat(flaky.failures()).isEqualTo(3);
          assertThat(flaky.message()).isEqualTo("attempt 3 FAILED: exited with code 3; no retries left (2)");
          assertThat(statusEvents(bus, "flaky", null)).extracting(StatusEvent::getKind)
              .containsSubsequence("JOB_RETRY", "JOB_RETRY", "JOB_FAILED").doesNotContain("JOB_FINISHED");
          Run slow = jobs.jobs().get("slow").last().orElseThrow();
          assertThat(slow.attempt()).isEqualTo(1);
          assertThat(slow.message()).isEqualTo("deadline of 2 s exceeded; attempt 1 was killed");
          assertThat(statusEvents(bus, "slow", null)).extracting(StatusEvent::getKind)
              .containsSubsequence("JOB_STARTED", "JOB_DEADLINE_EXCEEDED", "JOB_FAILED");
          assertThat(taskEnded(bus, Topics.TASK_STATUS, "slow.1.1", TaskState.KILLED)).isTrue();

          assertThat(kos.run("job", "run", spec("nap.json", "{\"id\": \"nap\", \"cmd\": \"sleep 3\","
              + " \"cpus\": 0.1, \"mem\": 32}")).exitCode()).isZero();
          TestBus.await("nap running", () -> lastState(jobs, "nap") == RunState.RUNNING);
        }
        TestBus.await("nap finished while its framework was away",
            () -> taskEnded(bus, Topics.TASKS, "nap.1.1", TaskState.FINISHED));

        try (JobsFramework restarted = new JobsFramework(bus.bus(), JobsFramework.ROLE, FAST_RETRIES,
            Clock.systemUTC()).start()) {
          assertThat(restarted.jobs()).containsOnlyKeys("hello", "flaky", "slow", "nap");
          assertThat(lastState(restarted, "hello")).isEqualTo(RunState.FINISHED);
          assertThat(lastState(restarted, "flaky")).isEqualTo(RunState.FAILED);
          TestBus.await("nap's end learnt by reconciling", () -> lastState(restarted, "nap") == RunState.FINISHED);

          assertThat(kos.run("job", "run", spec("tick.json", "{\"id\": \"tick\", \"cmd\": \"true\","
              + " \"cpus\": 0.1, \"mem\": 32, \"schedule\": \"@every 2s\"}")).exitCode()).isZero();
          TestBus.await("two scheduled runs of tick finished", () -> restarted.jobs().get("tick").runs().stream()
              .filter(r -> r.state() == RunState.FINISHED).count() >= 2);
          InProcessKos.Result list = kos.run("job", "list");
          assertThat(list.out()).as(list.toString()).containsPattern("flaky\\s+-\\s+flaky.1\\s+FAILED")
              .containsPattern("hello\\s+-\\s+hello.1\\s+FINISHED")
              .containsPattern("tick\\s+@every 2s\\s+tick.\\d+\\s+\\S+\\s+20\\d\\d-");
        }
      }
    }
  }

  private BusAgent agent(TestBus bus, String id) {
    return BusAgent.start(new AgentSettings(id, id, ResourceFlag.parseExact("cpus:2;mem:1024"), Map.of(), Map.of(),
        dir.resolve(id), bus.bus().settings(), Duration.ofSeconds(1), Duration.ofSeconds(10), 1000),
        Clock.systemUTC());
  }

  private String spec(String name, String json) throws Exception {
    return Files.writeString(dir.resolve(name), json).toString();
  }

  private static RunState lastState(JobsFramework framework, String jobId) {
    return Optional.ofNullable(framework.jobs().get(jobId)).flatMap(Job::last).map(Run::state).orElse(null);
  }

  /** Whether {@code topic} (task-status, or the allocator's kos.tasks view that reconciling reads) has the end. */
  private static boolean taskEnded(TestBus bus, TopicDef<TaskStatus> topic, String taskId, TaskState state) {
    return bus.readCommitted(topic, 1).stream().map(TestBus.Keyed::value)
        .anyMatch(s -> s.getTaskId().equals(taskId) && s.getState() == state);
  }

  /** The job's status events so far, of one kind or (null) all. */
  private static List<StatusEvent> statusEvents(TestBus bus, String jobId, String kind) {
    return bus.readCommitted(Topics.STATUS, 1).stream().map(TestBus.Keyed::value)
        .filter(e -> e.getTarget().equals(jobId) && (kind == null || e.getKind().equals(kind))).toList();
  }
}
