package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.KillTask;
import dev.kos.schema.Offer;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent that comes back after the agent timeout still runs the tasks that were declared LOST, which their
 * frameworks have replaced: the allocator holds their resources again and kills them (decision 0011), and frees
 * them on the agent's terminal status, so that what it offers is what the agent really has free.
 */
class ReturningAgentTopologyTest {

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);
    allocator.agent("a2", 2, 2048);
    allocator.advance(Duration.ofMillis(50));
    Offer onA1 = allocator.offers().stream().filter(o -> o.getAgentId().equals("a1")).findFirst().orElseThrow();
    allocator.launch(onA1, "t1", 1, 1024);
    allocator.status("a1", "web", "t1", TaskState.RUNNING);
    allocator.read(Topics.PLACEMENTS);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldKillTheTasksDeclaredLostOnAReturningAgentAndHoldTheirResourcesUntilTheyEnd() {
    for (int second = 0; second < 25; second++) {
      allocator.agent("a2", 2, 2048);
      allocator.advance(Duration.ofSeconds(1));
    }
    assertThat(statuses(TaskState.LOST)).as("a1 was declared lost").extracting(TaskStatus::getTaskId)
        .containsExactly("t1");
    allocator.read(Topics.OFFERS);

    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(100));

    assertThat(kills()).singleElement().satisfies(kill -> {
      assertThat(kill.getAgentId()).isEqualTo("a1");
      assertThat(kill.getTaskId()).isEqualTo("t1");
      assertThat(kill.getFrameworkId()).isEqualTo("web");
    });
    List<Offer> whileKilling = offersOn("a1");
    assertThat(whileKilling).as("t1 still runs on a1 and holds its cpu").singleElement()
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(3.0));

    whileKilling.forEach(offer -> allocator.decline(offer, 0));
    allocator.status("a1", "web", "t1", TaskState.KILLED);
    allocator.advance(Duration.ofMillis(100));

    assertThat(offersOn("a1")).as("t1 is gone").singleElement()
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(4.0));
  }

  @Test
  void shouldNotLetItsOwnLostStatusComingBackLateFreeATaskBeingKilled() {
    for (int second = 0; second < 25; second++) {
      allocator.agent("a2", 2, 2048);
      allocator.advance(Duration.ofSeconds(1));
    }
    TaskStatus declared = statuses(TaskState.LOST).get(0);
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(100));
    List<Offer> whileKilling = offersOn("a1");
    whileKilling.forEach(offer -> allocator.decline(offer, 0));

    allocator.publish(Topics.TASK_STATUS, "a1", declared, new RecordHeaders()
        .add(AllocatorProcessor.ORIGIN_HEADER, "allocator".getBytes(StandardCharsets.UTF_8)));
    allocator.advance(Duration.ofMillis(100));

    assertThat(offersOn("a1")).as("t1 is still being killed and holds its cpu").singleElement()
        .satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(3.0));
  }

  @Test
  void shouldReleaseAKilledTaskItsAgentNeverConfirmsAfterTheStagingTimeout() {
    for (int second = 0; second < 25; second++) {
      allocator.agent("a2", 2, 2048);
      allocator.advance(Duration.ofSeconds(1));
    }
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(100));
    assertThat(kills()).hasSize(1);
    allocator.read(Topics.TASK_STATUS);

    for (long second = 0; second < AllocatorSettings.DEFAULT_STAGING_TIMEOUT.toSeconds() + 3; second++) {
      allocator.agent("a1", 4, 8192);
      allocator.agent("a2", 2, 2048);
      allocator.advance(Duration.ofSeconds(1));
      // A framework that declines every offer is offered one agent at a time (decision 0023): a2 is refused for
      // good, so that each round's offer is a1's and shows what a1 has free.
      allocator.offers().forEach(offer -> allocator.decline(offer, offer.getAgentId().equals("a2") ? 3600 : 0));
    }

    assertThat(statuses(TaskState.LOST)).singleElement()
        .satisfies(s -> assertThat(s.getMessage()).contains("did not confirm the kill of task t1"));
    allocator.advance(Duration.ofMillis(100));
    assertThat(offersOn("a1")).singleElement().satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(4.0));
  }

  @Test
  void shouldNotKillATaskWhoseEndArrivedWhileItsAgentWasAway() {
    for (int second = 0; second < 25; second++) {
      allocator.agent("a2", 2, 2048);
      allocator.advance(Duration.ofSeconds(1));
    }
    allocator.status("a1", "web", "t1", TaskState.FINISHED);
    allocator.read(Topics.OFFERS);

    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(100));

    assertThat(kills()).isEmpty();
    assertThat(offersOn("a1")).singleElement().satisfies(o -> assertThat(o.getResources().getCpus()).isEqualTo(4.0));
  }

  private List<Offer> offersOn(String agentId) {
    return allocator.offers().stream().filter(o -> o.getAgentId().equals(agentId)).toList();
  }

  private List<TaskStatus> statuses(TaskState state) {
    return allocator.read(Topics.TASK_STATUS).stream().map(Keyed::value).filter(s -> s.getState() == state).toList();
  }

  private List<KillTask> kills() {
    return allocator.read(Topics.PLACEMENTS).stream().map(Keyed::value).map(PlacementEvent::getPayload)
        .filter(KillTask.class::isInstance).map(KillTask.class::cast).toList();
  }
}
