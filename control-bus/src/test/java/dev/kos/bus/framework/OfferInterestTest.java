package dev.kos.bus.framework;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfferInterestTest {

  /** Records the calls that change what the allocator sends; a framework's other calls do not matter here. */
  private static final class RecordingDriver implements SchedulerDriver {
    final List<String> calls = new ArrayList<>();

    @Override
    public void accept(Collection<String> offerIds, List<Operation> operations) {
      calls.add("accept");
    }

    @Override
    public void launch(OfferView offer, List<TaskSpec> tasks) {
      calls.add("launch");
    }

    @Override
    public void decline(String offerId, Duration refuse) {
      calls.add("decline");
    }

    @Override
    public void suppress() {
      calls.add("suppress");
    }

    @Override
    public void revive() {
      calls.add("revive");
    }

    @Override
    public void teardown() {
      calls.add("teardown");
    }

    @Override
    public void killTask(String agentId, String taskId) {
      calls.add("kill");
    }

    @Override
    public void reconcile(Collection<String> taskIds) {
      calls.add("reconcile");
    }
  }

  @Test
  void shouldTellTheAllocatorOnlyWhenTheWishChanges() {
    RecordingDriver driver = new RecordingDriver();
    OfferInterest interest = new OfferInterest();

    for (boolean wanted : new boolean[] {true, true, false, false, true, false, true, true}) {
      interest.want(driver, wanted);
    }

    assertThat(driver.calls).containsExactly("suppress", "revive", "suppress", "revive");
  }
}
