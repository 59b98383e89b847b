package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.Topics;
import dev.kos.schema.Offer;
import dev.kos.schema.TaskState;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A framework instance replaced by a newer one (a higher epoch on its registration, decision 0012) must not launch:
 * its accepts are answered DROPPED with the reason, while the newer instance's launch on the same offer goes through.
 */
class FencedFrameworkTopologyTest {

  @TempDir
  Path stateDir;

  @Test
  void shouldRefuseTheAcceptsOfAReplacedFrameworkInstance() {
    AllocatorDriver allocator = new AllocatorDriver(stateDir);
    allocator.framework("apps", "web", 1);
    allocator.agent("a1", 4, 8192);
    allocator.advance(Duration.ofMillis(50));
    Offer offer = allocator.offers().get(0);
    allocator.framework("apps", "web", 2);
    allocator.advance(Duration.ofMillis(50));
    allocator.read(Topics.OFFERS);

    allocator.launch(offer, "from-the-old-instance", 1, 512, 1);

    assertThat(allocator.read(Topics.PLACEMENTS)).as("no launch from the replaced instance").isEmpty();
    assertThat(allocator.read(Topics.TASK_STATUS)).singleElement().satisfies(status -> {
      assertThat(status.value().getState()).isEqualTo(TaskState.DROPPED);
      assertThat(status.value().getMessage()).contains("epoch 1 was replaced by an instance of epoch 2");
    });

    allocator.launch(offer, "from-the-new-instance", 1, 512, 2);

    assertThat(allocator.read(Topics.PLACEMENTS)).as("the newer instance launches on the same offer").singleElement();
  }
}
