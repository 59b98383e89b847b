package dev.kos.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.FakeAgents;
import dev.kos.allocator.stream.ScriptedFramework;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.KosProcess;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the allocator process after it processed an accept and before it committed: the
 * launch was written in an open transaction, the restarted allocator processes the accept
 * again, and exactly one launch is ever visible to readers. Nothing lost, nothing duplicated.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AllocatorCrashIT {

  /** Long enough that the test can see the launch written and not yet committed, then kill. */
  private static final String COMMIT_INTERVAL = "commit.interval.ms=10000";
  /**
   * The accept is replayed by the restarted instance, on the offer it restored: the offer must outlive the kill, the
   * new JVM's start and the session expiry, which took over 30 s (the default) on a loaded 2-core machine.
   */
  private static final String OFFER_TIMEOUT = "3m";
  /** The killed instance's partitions move to the new one when its session expires; keep that short. */
  private static final String SESSION_TIMEOUT = "consumer.session.timeout.ms=6000";

  @TempDir
  Path dir;

  @Test
  void shouldLaunchExactlyOnceWhenKilledBetweenAnAcceptAndItsCommit(@BootstrapServers String bootstrap) throws Exception {
    ScriptedFramework framework = new ScriptedFramework("fw", 1);
    try (TestBus bus = TestBus.start(bootstrap, 1);
        FakeAgents agents = new FakeAgents(bus, List.of("a1"), 4, 4096)) {
      Process first = startAllocator(bus, "first");
      try (BusSchedulerDriver driver = new BusSchedulerDriver(bus.bus(), FrameworkSettings.of("fw", "web"), framework,
          Clock.systemUTC()).start()) {
        TestBus.await("the launch of fw-t1 written in an open transaction",
            () -> launchesOf(bus.readUncommitted(Topics.PLACEMENTS, 1)) == 1);
        assertThat(launchesOf(bus.readCommitted(Topics.PLACEMENTS, 0))).as("not committed yet").isZero();

        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        Process second = startAllocator(bus, "second");
        try {
          long committed = launchesOf(bus.readCommitted(Topics.PLACEMENTS, 1));
          assertThat(committed).as("committed launches of fw-t1; allocator log:%n%s%nplacements %s%nstatuses %s%n"
              + "offers %s%nframework offers %s, dropped %s", KosProcess.output(dir, "second"),
              bus.readUncommitted(Topics.PLACEMENTS, 0), bus.readUncommitted(Topics.TASK_STATUS, 0),
              bus.readUncommitted(Topics.OFFERS, 0), framework.offers, framework.dropped).isEqualTo(1);
          assertThat(launchesOf(bus.readUncommitted(Topics.PLACEMENTS, 2)))
              .as("the first attempt is in the log, aborted").isEqualTo(2);
          assertThat(framework.dropped).as("the accept survived the crash: its offer was restored").isEmpty();
        } finally {
          second.destroy();
          second.waitFor(60, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static long launchesOf(List<TestBus.Keyed<PlacementEvent>> placements) {
    return placements.stream().map(k -> k.value().getPayload())
        .filter(p -> p instanceof LaunchTask launch && launch.getTask().getTaskId().equals("fw-t1")).count();
  }

  private Process startAllocator(TestBus bus, String name) throws Exception {
    List<String> args = new ArrayList<>(List.of("allocator"));
    args.addAll(KosProcess.busOptions(bus));
    args.addAll(List.of("--application-id", "crash-" + bus.bus().catalog().prefix().replace(".", ""),
        "--state-dir", dir.resolve("state").toString(), "--offer-timeout", OFFER_TIMEOUT,
        "--streams-config", COMMIT_INTERVAL, "--streams-config", SESSION_TIMEOUT));
    // Two minutes to come up: beside the chaos suite (they run side by side) a JVM start took over one.
    return KosProcess.start(dir, name, "running against", args, Duration.ofMinutes(2));
  }
}
