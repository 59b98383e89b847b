package dev.kos.chaos;

import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.chaos.history.Checks;
import dev.kos.chaos.history.History;
import dev.kos.chaos.history.History.Recovery;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DeployApp;
import dev.kos.schema.ScaleApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kos framework apps` killed with -9 within 50 ms of answering a scale from 3 to 6 instances, then
 * restarted. Checks C (one process per instance at every sample), D (at quiescence processes,
 * kos.tasks and kos.apps agree, with 6 running), F (canary answered within 20 s of the restart, no
 * consumer lag) and H (nothing left once the app is removed).
 */
@ExtendWith(KafkaBrokerExtension.class)
class AppsFrameworkChaosIT {

  private static final String WEB = "/chaos/web";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @Test
  @Timeout(150)
  void appsFrameworkKilledWithin50msOfAnAcceptedScale(@BootstrapServers String bootstrap) throws Exception {
    long started = System.currentTimeMillis();
    try (ChaosCluster kos = new ChaosCluster(bootstrap, dir).startAll(2)) {
      kos.command(new DeployApp(ChaosCluster.app(WEB, 3, 0.1)), Duration.ofSeconds(30))
          .orElseThrow(() -> new AssertionError("deploy not answered; apps log:\n" + kos.log("apps")));
      kos.awaitQuiescence(Map.of(WEB, 3), Duration.ofSeconds(45));

      ChaosCluster.KilledOnAnswer kill = kos.commandThenKill(new ScaleApp(WEB, 6), "apps", Duration.ofSeconds(30));
      CommandResult scaled = kill.result();
      // The framework stamped its answer on this host's clock: how long after answering it was gone.
      long killedAfter = kill.killedAt() - scaled.getTimestamp().toEpochMilli();
      if (scaled.getStatus() != CommandStatus.ACCEPTED) {
        throw new AssertionError("the scale was not accepted: " + scaled);
      }
      System.out.println("chaos: apps framework killed " + killedAfter + " ms after it answered the scale");
      kos.startApps();
      long healed = System.currentTimeMillis();

      OptionalLong canary = kos.canary(Duration.ofSeconds(25));
      History settled = kos.awaitQuiescence(Map.of(WEB, 6), Duration.ofSeconds(30));
      Map<String, Long> lag = kos.awaitNoLag(Duration.ofSeconds(10));
      var teardown = kos.teardown(List.of(WEB), Duration.ofSeconds(15));
      History history = kos.history(settled).withRecovery(new Recovery(healed, canary, lag)).withTeardown(teardown);
      CaseReport.assertPassed("apps framework kill -9 within 50 ms of an accepted scale 3 -> 6", history, "CDFH",
          started, List.of(Checks.wantedInstances(settled, Map.of(WEB, 6))));
    }
  }
}
