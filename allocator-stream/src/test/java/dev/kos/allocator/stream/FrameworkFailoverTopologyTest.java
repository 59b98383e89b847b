package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.KillTask;
import dev.kos.schema.PlacementEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A framework's failover timeout: heartbeats keep its tasks, silence longer than the timeout kills them. */
class FrameworkFailoverTopologyTest {

  private static final Duration FAILOVER = Duration.ofSeconds(3);

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;
  private Instant registeredAt;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.agent("a1", 4, 8192);
    registeredAt = allocator.now();
    heartbeat();
    allocator.advance(Duration.ofMillis(50));
    allocator.launch(allocator.offers().get(0), "t1", 1, 1024);
    allocator.read(Topics.PLACEMENTS);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldKillTheTasksOfAFrameworkSilentForLongerThanItsFailoverTimeout() {
    allocator.advance(FAILOVER.plusSeconds(2));

    assertThat(kills()).singleElement().satisfies(kill -> {
      assertThat(kill.getAgentId()).isEqualTo("a1");
      assertThat(kill.getTaskId()).isEqualTo("t1");
      assertThat(kill.getFrameworkId()).isEqualTo("web");
    });
    assertThat(allocator.read(Topics.STATUS)).extracting(Keyed::value)
        .filteredOn(event -> event.getKind().equals("framework-failed-over")).singleElement()
        .satisfies(event -> {
          assertThat(event.getTarget()).isEqualTo("web");
          assertThat(event.getCounts()).containsEntry("tasks", 1);
          assertThat(event.getMessage()).contains("failover timeout of PT3S");
        });
    allocator.offers();
    allocator.advance(Duration.ofSeconds(1));
    assertThat(allocator.offers()).as("no offers to a failed-over framework").isEmpty();
  }

  @Test
  void shouldKeepTheTasksOfAFrameworkThatHeartbeats() {
    for (int second = 0; second < 8; second++) {
      allocator.advance(Duration.ofSeconds(1));
      heartbeat();
    }

    assertThat(kills()).isEmpty();
  }

  @Test
  void shouldKeepDeclineFiltersAcrossHeartbeats() {
    allocator.advance(Duration.ofMillis(50));
    allocator.decline(allocator.offers().get(0), 60);

    for (int second = 0; second < 3; second++) {
      heartbeat();
      allocator.advance(Duration.ofSeconds(1));
    }

    assertThat(allocator.offers()).as("a heartbeat is not a revive").isEmpty();
  }

  @Test
  void shouldOfferAgainToAFailedOverFrameworkThatComesBack() {
    allocator.advance(FAILOVER.plusSeconds(2));
    allocator.offers();

    heartbeat();
    allocator.advance(Duration.ofSeconds(1));

    assertThat(allocator.offers()).isNotEmpty().allSatisfy(offer -> assertThat(offer.getFrameworkId()).isEqualTo("web"));
  }

  private void heartbeat() {
    allocator.publish(Topics.FRAMEWORKS, "web", FrameworkInfo.newBuilder().setFrameworkId("web").setName("web")
        .setRole("web").setFailoverTimeoutMs(FAILOVER.toMillis()).setRegisteredAt(registeredAt)
        .setHeartbeatAt(allocator.now()).build());
  }

  private List<KillTask> kills() {
    return allocator.read(Topics.PLACEMENTS).stream().map(Keyed::value).map(PlacementEvent::getPayload)
        .filter(KillTask.class::isInstance).map(KillTask.class::cast).toList();
  }
}
