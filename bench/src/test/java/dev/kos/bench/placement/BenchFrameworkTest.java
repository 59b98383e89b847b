package dev.kos.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.framework.SchedulerAvro;
import dev.kos.bus.framework.SchedulerDriver;
import dev.kos.model.OfferView;
import dev.kos.model.Operation;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.Offer;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchFrameworkTest {
  private static final Instant NOW = Instant.parse("2026-11-25T06:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Records what the framework asks of kos. */
  private static final class RecordingDriver implements SchedulerDriver {
    final List<List<TaskSpec>> launches = new ArrayList<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public void accept(Collection<String> offerIds, List<Operation> operations) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void launch(OfferView offer, List<TaskSpec> tasks) {
      launches.add(tasks);
      calls.add("launch " + tasks.size() + " on " + offer.offerId());
    }

    @Override
    public void decline(String offerId, Duration refuse) {
      calls.add("decline " + offerId);
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
      calls.add("kill " + taskId);
    }

    @Override
    public void reconcile(Collection<String> taskIds) {
      calls.add("reconcile");
    }
  }

  private final RecordingDriver driver = new RecordingDriver();
  private final LatencyRecorder latencies = new LatencyRecorder();
  private final BenchFramework framework = new BenchFramework("bf-0", 0.125, 32, 1000, 0, latencies, CLOCK);
  private final BenchFramework holding = new BenchFramework("bf-0", 0.125, 32, 1000, 1, latencies, CLOCK);

  private static OfferView offer(String id, double cpus, double mem, Instant expiresAt) {
    return SchedulerAvro.offer(Offer.newBuilder().setOfferId(id).setFrameworkId("bf-0").setAgentId("sim-0").setHostname("sim")
        .setResources(Resources.newBuilder().setCpus(cpus).setMem(mem).build()).setCreatedAt(NOW)
        .setExpiresAt(expiresAt).build());
  }

  private static TaskStatusUpdate status(String taskId, TaskState state) {
    return SchedulerAvro.status(TaskStatus.newBuilder().setTaskId(taskId).setFrameworkId("bf-0").setAgentId("sim-0").setState(state)
        .setMessage("why").setTimestamp(NOW).build());
  }

  @ParameterizedTest(name = "{0} cpus / {1} MiB fit {2}")
  @CsvSource({"16, 8192, 128", "1, 8192, 8", "16, 100, 3", "0.1, 8192, 0", "0.375, 96, 3"})
  void shouldFitAsManyTasksAsTheScarcerResourceAllows(double cpus, double mem, int tasks) {
    assertThat(framework.fits(dev.kos.model.Resources.of(cpus, mem))).isEqualTo(tasks);
  }

  @Test
  void shouldStartSuppressedAndReviveWhenACommandAsksForTasks() {
    framework.registered(driver);
    framework.raiseTarget(200, NOW.toEpochMilli() - 40);

    assertThat(driver.calls).containsExactly("suppress", "revive");
  }

  @Test
  void shouldLaunchWhatOffersFitThenDeclineAndSuppressWhenNothingIsWanted() {
    framework.registered(driver);
    framework.raiseTarget(200, NOW.toEpochMilli());
    framework.resourceOffers(driver, List.of(offer("o1", 16, 8192, NOW.plusSeconds(30)),
        offer("o2", 16, 8192, NOW.plusSeconds(30)), offer("o3", 16, 8192, NOW.plusSeconds(30))));

    assertThat(driver.calls).containsExactly("suppress", "revive", "launch 128 on o1", "launch 72 on o2",
        "decline o3", "suppress");
    assertThat(driver.launches.get(1)).extracting(TaskSpec::taskId).startsWith("bf-0.128").endsWith("bf-0.199");
  }

  @Test
  void shouldTimeEachTaskFromItsCommandAndRetryALaunchThatEndedBeforeRunning() {
    framework.registered(driver);
    framework.raiseTarget(2, NOW.toEpochMilli() - 40);
    framework.resourceOffers(driver, List.of(offer("o1", 16, 8192, NOW.plusSeconds(30))));
    framework.statusUpdate(driver, status("bf-0.0", TaskState.RUNNING));
    framework.statusUpdate(driver, status("bf-0.1", TaskState.DROPPED));
    framework.resourceOffers(driver, List.of(offer("o2", 16, 8192, NOW.plusSeconds(30))));

    assertThat(latencies.count()).isEqualTo(1);
    assertThat(latencies.percentile(1.0)).isEqualTo(40);
    assertThat(framework.failed()).isEqualTo(1);
    assertThat(framework.failures()).containsOnlyKeys("DROPPED: why");
    assertThat(driver.launches.get(1)).extracting(TaskSpec::taskId).containsExactly("bf-0.1");
  }

  @Test
  void shouldCountDistinctTasksRunningNowNotRunningEvents() {
    framework.registered(driver);
    framework.raiseTarget(2, NOW.toEpochMilli() - 40);
    framework.resourceOffers(driver, List.of(offer("o1", 16, 8192, NOW.plusSeconds(30))));
    framework.statusUpdate(driver, status("bf-0.0", TaskState.RUNNING));
    framework.statusUpdate(driver, status("bf-0.0", TaskState.RUNNING)); // a health change repeats RUNNING
    framework.statusUpdate(driver, status("bf-0.1", TaskState.RUNNING));
    framework.statusUpdate(driver, status("bf-0.1", TaskState.LOST));

    assertThat(framework.running()).as("bf-0.0 runs; bf-0.1 was lost and is to be launched again").isEqualTo(1);
    assertThat(latencies.count()).as("one latency per task, from its first RUNNING").isEqualTo(2);

    framework.resourceOffers(driver, List.of(offer("o2", 16, 8192, NOW.plusSeconds(30))));
    framework.statusUpdate(driver, status("bf-0.1", TaskState.RUNNING));
    assertThat(framework.running()).isEqualTo(2);
    assertThat(latencies.count()).isEqualTo(2);
  }

  @Test
  void shouldCountWhatBecameOfEachOfferAndHowOldItWasOnDelivery() {
    LatencyRecorder ages = new LatencyRecorder();
    BenchFramework counted = new BenchFramework("bf-0", 0.125, 32, 1000, 0, latencies, ages, CLOCK);
    counted.registered(driver);
    counted.raiseTarget(128, NOW.toEpochMilli());
    OfferView aged = SchedulerAvro.offer(Offer.newBuilder().setOfferId("aged").setFrameworkId("bf-0")
        .setAgentId("sim-1").setHostname("sim").setResources(Resources.newBuilder().setCpus(16).setMem(8192).build())
        .setCreatedAt(NOW.minusMillis(1500)).setExpiresAt(NOW.plusSeconds(28)).build());
    counted.resourceOffers(driver, List.of(aged, offer("o2", 16, 8192, NOW.plusSeconds(30))));
    counted.offerRescinded(driver, "o3", "offer expired after PT30S");

    assertThat(counted.offersReceived()).isEqualTo(2);
    assertThat(counted.offersUsed()).isEqualTo(1);
    assertThat(counted.offersDeclined()).isEqualTo(1);
    assertThat(counted.offersRescinded()).isEqualTo(1);
    assertThat(ages.count()).isEqualTo(2);
    assertThat(ages.percentile(1.0)).as("the older offer's age on delivery").isEqualTo(1500);
    assertThat(counted.failures()).containsOnlyKeys("rescinded: offer expired after PT#S");
  }

  @Test
  void shouldLeaveAnOfferThatExpiredBeforeItArrived() {
    framework.registered(driver);
    framework.raiseTarget(10, NOW.toEpochMilli());
    framework.resourceOffers(driver, List.of(offer("late", 16, 8192, NOW.minusMillis(1))));

    assertThat(driver.launches).isEmpty();
    assertThat(framework.expiredOffers()).isEqualTo(1);
  }

  @Test
  void shouldHoldAnOfferItHasNoTaskForAndLaunchTheNextCommandOnItAtOnce() {
    holding.registered(driver);
    holding.raiseTarget(200, NOW.toEpochMilli());
    holding.resourceOffers(driver, List.of(offer("o1", 16, 8192, NOW.plusSeconds(30)),
        offer("o2", 16, 8192, NOW.plusSeconds(30)), offer("o3", 16, 8192, NOW.plusSeconds(30)),
        offer("o4", 16, 8192, NOW.plusSeconds(30))));
    holding.raiseTarget(210, NOW.toEpochMilli());

    assertThat(driver.calls).containsExactly("suppress", "revive", "launch 128 on o1", "launch 72 on o2",
        "decline o4", "suppress", "launch 10 on o3", "revive");
    assertThat(driver.launches.get(2)).extracting(TaskSpec::taskId).startsWith("bf-0.200").endsWith("bf-0.209");
  }

  @Test
  void shouldNotLaunchOnAHeldOfferThatWasRescindedOrIsAboutToExpire() {
    holding.registered(driver);
    holding.resourceOffers(driver, List.of(offer("gone", 16, 8192, NOW.plusSeconds(30))));
    holding.offerRescinded(driver, "gone", "expired");
    holding.resourceOffers(driver, List.of(offer("old", 16, 8192, NOW.plus(BenchFramework.HOLD_MARGIN))));
    holding.raiseTarget(5, NOW.toEpochMilli());

    assertThat(driver.launches).isEmpty();
    assertThat(driver.calls).containsExactly("suppress", "revive");
  }
}
