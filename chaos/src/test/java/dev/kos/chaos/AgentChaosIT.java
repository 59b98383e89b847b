package dev.kos.chaos;

import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.chaos.history.Checks;
import dev.kos.chaos.history.History;
import dev.kos.chaos.history.History.LiveTask;
import dev.kos.chaos.history.History.Recovery;
import dev.kos.schema.DeployApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of an agent running instances of a 3-instance app deployed through `kos framework apps`,
 * on two agents. Each case checks C (one process per instance, at every sample), D (at quiescence
 * the processes, kos.tasks and kos.apps agree) and H (nothing left once the app is removed).
 */
@ExtendWith(KafkaBrokerExtension.class)
class AgentChaosIT {

  private static final String WEB = "/chaos/web";
  private static final Map<String, Integer> WANTED = Map.of(WEB, 3);

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  /**
   * kill -9 of the agent with the most instances, restarted on its work dir 2 s later: back inside
   * --agent-timeout (15 s here: the restarted JVM needs up to ~7 s more before it heartbeats) and
   * inside its --task-lease (10 s), so it recovers its running tasks.
   */
  @Test
  @Timeout(300)
  void agentKilledAndRestartedAfterTwoSeconds(@BootstrapServers String bootstrap) throws Exception {
    long started = System.currentTimeMillis();
    try (ChaosCluster kos = new ChaosCluster(bootstrap, dir, ChaosCluster.AGENT_TIMEOUT, ChaosCluster.TASK_LEASE).startAll(2)) {
      String victim = deployAndPickVictim(kos);

      kos.kill9(victim);
      Thread.sleep(2_000);
      kos.startAgent(victim);
      long healed = System.currentTimeMillis();

      finish(kos, "agent kill -9, restarted after 2 s", healed, started);
    }
  }

  /**
   * kill -9 of the agent with the most instances, restarted on its work dir after longer than
   * --agent-timeout (5 s): it was declared lost and its instances relaunched elsewhere. Its tasks must
   * have killed themselves when its --task-lease (2 s) lapsed, before the relaunch (C); it comes back
   * and reports them LOST.
   */
  @Test
  @Timeout(300)
  void agentKilledAndRestartedAfterTheAgentTimeout(@BootstrapServers String bootstrap) throws Exception {
    long started = System.currentTimeMillis();
    try (ChaosCluster kos = new ChaosCluster(bootstrap, dir, ChaosCluster.SHORT_AGENT_TIMEOUT,
        ChaosCluster.SHORT_TASK_LEASE).startAll(2)) {
      String victim = deployAndPickVictim(kos);

      kos.kill9(victim);
      Thread.sleep(7_000);
      kos.startAgent(victim);
      long healed = System.currentTimeMillis();

      finish(kos, "agent kill -9, restarted after 7 s (agent timeout 5 s)", healed, started);
    }
  }

  /**
   * SIGSTOP of the agent with the most instances for 10 s, twice --agent-timeout, then SIGCONT: the
   * allocator declares it lost and the framework relaunches its instances elsewhere. Its tasks (not
   * frozen themselves) must have killed themselves when its --task-lease (2 s) lapsed, before the
   * relaunch (C). When it comes back, each instance must still run once.
   */
  @Test
  @Timeout(300)
  void agentFrozenPastTheAgentTimeoutThenResumed(@BootstrapServers String bootstrap) throws Exception {
    long started = System.currentTimeMillis();
    try (ChaosCluster kos = new ChaosCluster(bootstrap, dir, ChaosCluster.SHORT_AGENT_TIMEOUT,
        ChaosCluster.SHORT_TASK_LEASE).startAll(2)) {
      String victim = deployAndPickVictim(kos);

      kos.freeze(victim);
      Thread.sleep(10_000);
      kos.resume(victim);
      long healed = System.currentTimeMillis();

      finish(kos, "agent SIGSTOP 10 s (agent timeout 5 s), then SIGCONT", healed, started);
    }
  }

  /** Deploys the app, waits until it runs, and names the agent that runs most of its instances. */
  private static String deployAndPickVictim(ChaosCluster kos) throws InterruptedException {
    kos.command(new DeployApp(ChaosCluster.app(WEB, 3, 0.1)), Duration.ofSeconds(30))
        .orElseThrow(() -> new AssertionError("deploy not answered; apps log:\n" + kos.log("apps")));
    History running = kos.awaitQuiescence(WANTED, Duration.ofSeconds(60));
    Map<String, Long> perAgent = running.quiescent().orElseThrow().live().stream()
        .collect(Collectors.groupingBy(LiveTask::agentId, Collectors.counting()));
    if (perAgent.values().stream().mapToLong(Long::longValue).sum() != 3) {
      throw new AssertionError("the app never ran its 3 instances: " + running.quiescent() + "\napps log:\n"
          + kos.log("apps"));
    }
    return perAgent.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static void finish(ChaosCluster kos, String name, long healed, long started) throws Exception {
    OptionalLong canary = kos.canary(Duration.ofSeconds(25));
    History settled = kos.awaitQuiescence(WANTED, Duration.ofSeconds(20));
    Map<String, Long> lag = kos.awaitNoLag(Duration.ofSeconds(10));
    var teardown = kos.teardown(List.of(WEB), Duration.ofSeconds(15));
    History history = kos.history(settled).withRecovery(new Recovery(healed, canary, lag)).withTeardown(teardown);
    CaseReport.assertPassed(name, history, "CDH", started, List.of(Checks.wantedInstances(settled, WANTED)));
  }

}
