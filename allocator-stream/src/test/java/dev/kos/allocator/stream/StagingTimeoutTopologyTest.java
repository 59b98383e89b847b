package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.core.Launch;
import dev.kos.allocator.core.TaskWatch;
import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.model.Resources;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.KillTask;
import dev.kos.schema.Offer;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A launch its agent never answers (it dead-lettered the placement, say) does not hold its resources for ever:
 * after the staging timeout the allocator reports it LOST and frees them; a status that comes later all the same
 * gets the task killed.
 */
class StagingTimeoutTopologyTest {

  private static final Duration STAGING_TIMEOUT = Duration.ofMinutes(2);

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;
  private final List<Offer> offers = new ArrayList<>();
  private final List<TaskStatus> statuses = new ArrayList<>();

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(50));
    allocator.launch(allocator.offers().get(0), "t1", 1, 1024);
    allocator.read(Topics.PLACEMENTS);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldReportALaunchWithNoStatusLostAfterTheStagingTimeoutAndFreeIt() {
    liveFor(STAGING_TIMEOUT.minusSeconds(5));
    assertThat(lost()).as("still within the staging timeout").isEmpty();

    liveFor(Duration.ofSeconds(10));

    assertThat(lost()).singleElement().satisfies(s -> {
      assertThat(s.getTaskId()).isEqualTo("t1");
      assertThat(s.getAgentId()).isEqualTo("a1");
      assertThat(s.getMessage()).contains("no status from agent a1 within");
    });
    assertThat(offers).last().as("t1's cpu is free again")
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(4.0));
  }

  @Test
  void shouldNotTimeOutALaunchItsAgentAnswered() {
    allocator.status("a1", "web", "t1", TaskState.STARTING);

    liveFor(STAGING_TIMEOUT.plusSeconds(10));

    assertThat(lost()).isEmpty();
    assertThat(offers).last().satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(3.0));
  }

  @Test
  void shouldKillATaskTimedOutInStagingWhoseStatusComesLate() {
    liveFor(STAGING_TIMEOUT.plusSeconds(5));
    assertThat(lost()).hasSize(1);

    allocator.status("a1", "web", "t1", TaskState.RUNNING);
    liveFor(Duration.ofSeconds(2));

    assertThat(kills()).singleElement().satisfies(kill -> assertThat(kill.getTaskId()).isEqualTo("t1"));
    assertThat(offers).last().as("t1 runs after all and holds its cpu until it is killed")
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(3.0));

    allocator.status("a1", "web", "t1", TaskState.KILLED);
    liveFor(Duration.ofSeconds(2));
    assertThat(offers).last().satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(4.0));
  }

  @Test
  void shouldStoreALaunchAwaitingItsAgentWithItsTaskAndNoWatchEntry() {
    assertThat(storedTask("t1").staging()).as("awaiting a1's first status").isPresent();
    assertThat(allocator.stored(AllocatorTopology.WATCH_STORE, "t1")).isNull();

    allocator.status("a1", "web", "t1", TaskState.RUNNING);

    assertThat(storedTask("t1").staging()).as("answered").isEmpty();
    assertThat(storedTask("t1").launch().agentId()).isEqualTo("a1");
    assertThat(allocator.stored(AllocatorTopology.WATCH_STORE, "t1")).isNull();
  }

  @Test
  void shouldGiveUpAfterARestartALaunchStoredAwaitingItsAgent(@TempDir Path restartDir) {
    allocator.close();
    allocator = restartedWith(restartDir, new TaskWatch.Entry(launchOf("t1"), TaskWatch.Phase.STAGING,
        AllocatorDriver.START));

    liveFor(STAGING_TIMEOUT.minusSeconds(5));
    assertThat(lost()).as("a whole staging timeout from the restart").isEmpty();
    liveFor(Duration.ofSeconds(10));

    assertThat(lost()).singleElement().satisfies(s -> assertThat(s.getTaskId()).isEqualTo("t1"));
  }

  @Test
  void shouldNotGiveUpAfterARestartATaskStoredAnswered(@TempDir Path restartDir) {
    allocator.close();
    allocator = restartedWith(restartDir, null);

    liveFor(STAGING_TIMEOUT.plusSeconds(10));

    assertThat(lost()).isEmpty();
    assertThat(offers).last().as("t1 holds its cpu")
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(3.0));
  }

  /** A fresh shard whose stores hold agent a1 and task t1 on it, awaiting a1's answer since {@code staging}, or not. */
  private AllocatorDriver restartedWith(Path stateDir, TaskWatch.Entry staging) {
    AllocatorDriver restarted = new AllocatorDriver(stateDir);
    restarted.putStored(AllocatorTopology.AGENTS_STORE, "a1", restarted.agentReportBytes("a1", 4, 8192));
    restarted.putStored(AllocatorTopology.TASKS_STORE, "t1", StateStoreJson.write(staging == null
        ? StateStoreJson.StoredTask.running(launchOf("t1")) : StateStoreJson.StoredTask.staging(staging)));
    restarted.framework("web", "web");
    return restarted;
  }

  private static Launch launchOf(String taskId) {
    return new Launch(taskId, "web", "web", "a1", Resources.of(1, 1024));
  }

  private StateStoreJson.StoredTask storedTask(String taskId) {
    return StateStoreJson.task(allocator.stored(AllocatorTopology.TASKS_STORE, taskId));
  }

  /** The agent heartbeats, and each offer is declined for no time, so that the next one shows what is free. */
  private void liveFor(Duration duration) {
    for (long second = 0; second < duration.toSeconds(); second++) {
      allocator.agent("a1", 4, 8192);
      allocator.advance(Duration.ofSeconds(1));
      for (Offer offer : allocator.offers()) {
        offers.add(offer);
        allocator.decline(offer, 0);
      }
      allocator.read(Topics.TASK_STATUS).forEach(s -> statuses.add(s.value()));
    }
  }

  private List<TaskStatus> lost() {
    return statuses.stream().filter(s -> s.getState() == TaskState.LOST).toList();
  }

  private List<KillTask> kills() {
    return allocator.read(Topics.PLACEMENTS).stream().map(Keyed::value).map(PlacementEvent::getPayload)
        .filter(KillTask.class::isInstance).map(KillTask.class::cast).toList();
  }
}
