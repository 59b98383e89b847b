package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Offer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A round that fails must not fail the stream thread: Kafka Streams would replace the thread, restore its shards
 * and run the same round again, and while it fails every shard of that thread makes no offer and watches no agent.
 * The failure is logged and said once on kos.status, and the next round runs as usual.
 */
class FailedRoundTopologyTest {

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
    allocator.framework("web", "web");
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(50));
    assertThat(allocator.offers()).hasSize(1);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldSayAFailedRoundAndKeepAllocating() {
    allocator.failNextClockReading(new IllegalStateException("a bug in the round"));

    assertThatCode(() -> allocator.advance(Duration.ofMillis(50))).doesNotThrowAnyException();

    assertThat(allocator.read(Topics.STATUS)).extracting(Keyed::value)
        .filteredOn(event -> event.getKind().equals("allocator-round-failed")).singleElement()
        .satisfies(event -> {
          assertThat(event.getFramework()).isEqualTo("allocator");
          assertThat(event.getMessage()).contains("a bug in the round");
        });
    allocator.agent("a2", 2, 4096);
    allocator.advance(Duration.ofMillis(100));
    assertThat(allocator.offers()).extracting(Offer::getAgentId).containsExactly("a2");
  }

  @Test
  void shouldSayTheSameFailureOnceWhileItLasts() {
    for (int round = 0; round < 5; round++) {
      allocator.failNextClockReading(new IllegalStateException("a bug in the round"));
      allocator.advance(Duration.ofMillis(50));
    }

    assertThat(allocator.read(Topics.STATUS)).extracting(Keyed::value)
        .filteredOn(event -> event.getKind().equals("allocator-round-failed")).hasSize(1);
  }
}
