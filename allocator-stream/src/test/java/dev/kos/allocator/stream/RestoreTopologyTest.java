package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Offer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard rebuilds its core from its state stores when it (re)starts. One entry it cannot read (a stored report whose
 * schema the registry lost, a task or offer written by another release) must cost that entry only: the rest of the
 * shard is restored, and the shard goes on taking records rather than failing its stream thread on every start.
 */
class RestoreTopologyTest {

  private static final Duration ROUND = Duration.ofMillis(50);

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldRestoreEveryReadableEntryAndPassOverOneItCannotRead() {
    byte[] garbage = "not a record".getBytes(StandardCharsets.UTF_8);
    allocator.putStored(AllocatorTopology.AGENTS_STORE, "a0", garbage);
    allocator.putStored(AllocatorTopology.AGENTS_STORE, "a1", allocator.agentReportBytes("a1", 4, 8192));
    allocator.putStored(AllocatorTopology.TASKS_STORE, "t-bad", garbage);
    allocator.putStored(AllocatorTopology.OFFERS_STORE, "o-bad", garbage);

    allocator.framework("web", "web");
    allocator.advance(ROUND);

    assertThat(allocator.offers()).as("the readable agent was restored and is offered")
        .extracting(Offer::getAgentId).containsExactly("a1");
    assertThat(allocator.read(Topics.DEAD_LETTERS)).as("the framework's registration was taken, not dead-lettered")
        .isEmpty();

    allocator.agent("a2", 2, 1024);
    allocator.advance(ROUND);
    assertThat(allocator.offers()).as("the shard goes on").extracting(Offer::getAgentId).contains("a2");
  }
}
