package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Offer;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocator does not mistake its own isolation for its agents' death: after its rounds stood still, or while
 * no agent at all is heard, it declares no agent lost; once it hears again, each agent gets a whole timeout.
 */
class LivenessTopologyTest {

  private static final Duration TIMEOUT = AllocatorDriver.SETTINGS.agentTimeout();

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    for (String agent : List.of("a1", "a2", "a3")) {
      allocator.agent(agent, 4, 8192);
    }
    allocator.advance(Duration.ofMillis(50));
    int task = 0;
    for (Offer offer : allocator.offers()) {
      allocator.launch(offer, "t" + (++task), 1, 1024);
    }
    allocator.advance(Duration.ofSeconds(1));
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldGiveEveryAgentATimeoutAfterTheAllocatorItselfStoodStill() {
    allocator.jump(TIMEOUT.plusSeconds(10));
    allocator.advance(Duration.ofSeconds(2));

    assertThat(lost()).as("nobody is lost for the allocator's own freeze").isEmpty();

    for (int second = 0; second < TIMEOUT.toSeconds() + 3; second++) {
      allocator.agent("a2", 4, 8192);
      allocator.agent("a3", 4, 8192);
      allocator.advance(Duration.ofSeconds(1));
    }
    assertThat(lost()).as("a1 stayed silent for a whole timeout after the resume")
        .extracting(TaskStatus::getAgentId).containsExactly("a1");
  }

  @Test
  void shouldDeclareNoneLostWhileEveryAgentIsSilentAtOnce() {
    for (int second = 0; second < 2 * TIMEOUT.toSeconds(); second++) {
      allocator.advance(Duration.ofSeconds(1));
    }

    assertThat(lost()).as("every agent silent at once: the allocator suspects itself").isEmpty();

    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofSeconds(TIMEOUT.toSeconds() - 2));
    allocator.agent("a1", 4, 8192);
    allocator.agent("a2", 4, 8192);
    allocator.advance(Duration.ofSeconds(4));
    assertThat(lost()).as("a3, silent for a whole timeout since records flow again")
        .extracting(TaskStatus::getAgentId).containsExactly("a3");
  }

  private List<TaskStatus> lost() {
    return allocator.read(Topics.TASK_STATUS).stream().map(Keyed::value)
        .filter(s -> s.getState() == TaskState.LOST).toList();
  }
}
