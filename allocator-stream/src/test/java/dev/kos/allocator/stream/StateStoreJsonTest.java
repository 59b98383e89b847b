package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.core.Launch;
import dev.kos.allocator.core.Offer;
import dev.kos.model.Ports;
import dev.kos.model.Resources;
import dev.kos.allocator.core.TaskWatch;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateStoreJsonTest {

  private static final Resources WITH_PORTS = Resources.of(1.5, 512, 100).withPorts(Ports.range(31000, 31009));

  @Test
  void shouldReadBackARunningTaskExactly() {
    Launch launch = new Launch("t1", "f1", "web", "a1", WITH_PORTS);

    StateStoreJson.StoredTask read =
        StateStoreJson.task(StateStoreJson.write(StateStoreJson.StoredTask.running(launch)));

    assertThat(read.launch()).isEqualTo(launch);
    assertThat(read.staging()).isEmpty();
  }

  @Test
  void shouldReadBackATaskAwaitingItsFirstStatusWithItsWatchEntry() {
    TaskWatch.Entry entry = new TaskWatch.Entry(new Launch("t1", "f1", "web", "a1", WITH_PORTS),
        TaskWatch.Phase.STAGING, Instant.ofEpochMilli(42_000));

    StateStoreJson.StoredTask read =
        StateStoreJson.task(StateStoreJson.write(StateStoreJson.StoredTask.staging(entry)));

    assertThat(read.launch()).isEqualTo(entry.task());
    assertThat(read.staging()).contains(entry);
  }

  @Test
  void shouldReadATaskStoredByAnEarlierReleaseAsRunning() {
    Launch launch = new Launch("t1", "f1", "web", "a1", WITH_PORTS);

    // Before the STAGING entry moved into the tasks store, a task was stored as its Launch alone.
    StateStoreJson.StoredTask read = StateStoreJson.task(StateStoreJson.write(launch));

    assertThat(read.launch()).isEqualTo(launch);
    assertThat(read.staging()).isEmpty();
  }

  @Test
  void shouldReadBackAnOutstandingOfferExactly() {
    Offer offer = new Offer("o-1", "f1", "web", "a1", "host-1", Resources.of(1, 256), WITH_PORTS,
        Map.of("rack", "r1"), Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(31_000));

    assertThat(StateStoreJson.offer(StateStoreJson.write(StateStoreJson.StoredOffer.of(offer)))).isEqualTo(offer);
  }

  @Test
  void shouldReadBackAWatchedTaskExactly() {
    TaskWatch.Entry entry = new TaskWatch.Entry(new Launch("t1", "f1", "web", "a1", WITH_PORTS),
        TaskWatch.Phase.KILLING, Instant.ofEpochMilli(42_000));

    assertThat(StateStoreJson.watched(StateStoreJson.write(StateStoreJson.StoredWatch.of(entry)))).isEqualTo(entry);
  }
}
