package dev.kos.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.chaos.history.Checks;
import dev.kos.chaos.history.History;
import dev.kos.chaos.history.History.Recovery;
import dev.kos.chaos.history.Verdict;
import dev.kos.schema.ScaleApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Poison records on each input topic: garbage bytes, a null value, a ~1 MB record, and an Avro value
 * announcing a 2^31-element array, each followed by a canary that must be answered within 20 s
 * (F: the apps framework and the allocator answer a command, and a new canary task reaches
 * RUNNING, so the whole path accepts -> placements -> agent -> task-status still flows), and each
 * must yield exactly one dead letter with a reason per consumer (G). Once a canary goes unanswered
 * the consumer is wedged and the remaining kinds on that topic are not tried (they could not be told
 * apart); the case reports them as such.
 *
 * <p>Topics run one after the other on one kos while it stays healthy (a kos costs ~20 s to start on
 * this 2-core machine); the topic after a wedge gets a fresh one.
 */
@ExtendWith(KafkaBrokerExtension.class)
class PoisonRecordChaosIT {

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  private static ChaosCluster shared;
  private static int clusters;
  private static int canaryTasks;

  @AfterAll
  static void closeShared() {
    if (shared != null) {
      shared.close();
    }
  }

  static Stream<Arguments> inputTopics() {
    return Stream.of(Arguments.of(Topics.AGENTS), Arguments.of(Topics.ACCEPTS), Arguments.of(Topics.TASK_STATUS),
        Arguments.of(Topics.COMMANDS), Arguments.of(Topics.PLACEMENTS));
  }

  @ParameterizedTest(name = "poison records on kos.{0}")
  @MethodSource("inputTopics")
  @Timeout(240)
  void poisonRecordsEachFollowedByACanary(TopicDef<?> topic, @BootstrapServers String bootstrap) throws Exception {
    List<Kind> kinds = new ArrayList<>();
    kinds.add(new Kind("garbage", "a1", PoisonRecords::garbage));
    if (topic != Topics.AGENTS) {
      // On the compacted kos.agents a null value is a tombstone: an agent deregistering, not poison.
      kinds.add(new Kind("null value", "a1", () -> null));
    }
    kinds.add(new Kind("~1 MB record", "a1", PoisonRecords::nearTheSizeLimit));
    kinds.add(new Kind("2^31-element array", "a1", () -> PoisonRecords.arrayBomb(shared.bus().bus(), topic)));
    poisonCase(topic, bootstrap, kinds);
  }

  /**
   * Bad configuration on the compacted tables every allocator shard reads each round: a RoleInfo of the
   * canary's role with weight 0 and one with a utilization threshold of 1.5 on kos.roles, and a registration of
   * the live apps framework with weight -1 on kos.frameworks (its next heartbeat replaces it). Each must be
   * ignored, the last valid configuration staying in force, and dead-lettered once (G) although every round
   * looks at it again; the canary, with a new task placed in that role, must go on being answered (F).
   */
  @ParameterizedTest(name = "bad configuration on kos.{0}")
  @MethodSource("configTopics")
  @Timeout(120)
  void badConfigurationEachFollowedByACanary(TopicDef<?> topic, @BootstrapServers String bootstrap) throws Exception {
    List<Kind> kinds = topic == Topics.ROLES
        ? List.of(new Kind("RoleInfo weight 0", "*", () -> PoisonRecords.badRole(shared.bus().bus(), "*", 0, null)),
            new Kind("RoleInfo maxClusterUtilization 1.5", "batch",
                () -> PoisonRecords.badRole(shared.bus().bus(), "batch", 1, 1.5)))
        : List.of(new Kind("FrameworkInfo weight -1", "apps",
            () -> PoisonRecords.badFramework(shared.bus().bus(), "apps", -1)));
    poisonCase(topic, bootstrap, kinds);
  }

  static Stream<Arguments> configTopics() {
    return Stream.of(Arguments.of(Topics.ROLES), Arguments.of(Topics.FRAMEWORKS));
  }

  /** A bad record for a poison case: what it is, its key, its bytes (null: a null value). */
  private record Kind(String name, String key, Supplier<byte[]> value) {
  }

  private void poisonCase(TopicDef<?> topic, String bootstrap, List<Kind> kinds) throws Exception {
    long started = System.currentTimeMillis();
    if (shared == null) {
      shared = new ChaosCluster(bootstrap, dir.resolve("kos-" + ++clusters)).startAll(1);
      canaryTasks = 0;
    }
    ChaosCluster kos = shared;
    List<Verdict> verdicts = new ArrayList<>();
    String name;
    String allocatorLog;
    try {
      Map<String, Recovery> recoveries = new LinkedHashMap<>();
      List<String> notTried = new ArrayList<>();
      boolean wedged = false;
      for (Kind kind : kinds) {
        if (wedged) {
          notTried.add(kind.name());
          continue;
        }
        kos.inject(topic, kind.key(), kind.value().get(), kind.name());
        long injected = System.currentTimeMillis();
        canaryTasks++;
        OptionalLong answered = canaryWithTask(kos, canaryTasks, CaseReport.RECOVERY_BOUND.plusSeconds(5));
        wedged = answered.isEmpty();
        // Lag right after this kind's canary, so a later kind's wedge is not blamed on this one.
        Map<String, Long> lag = kos.awaitNoLag(wedged ? Duration.ZERO : Duration.ofSeconds(5));
        recoveries.put(kind.name(), new Recovery(injected, answered, lag));
      }

      String topicName = kos.bus().bus().topic(topic);
      History all = kos.history(History.empty());
      History history = all.withInjections(all.injections().stream().filter(i -> i.topic().equals(topicName)).toList());
      for (History.Injection injection : history.injections()) {
        history.deadLetters().stream().filter(d -> d.topic().equals(injection.topic())
            && d.partition() == injection.partition() && d.offset() == injection.offset())
            .forEach(d -> System.out.println("chaos: " + injection.kind() + " on " + injection.topic() + " dead-lettered by "
                + d.consumer() + ": " + (d.reason().length() > 300 ? d.reason().substring(0, 300) + "..." : d.reason())));
      }
      name = "poison on " + topicName.replaceFirst("^[^.]*\\.", "kos.");
      recoveries.forEach((kind, recovery) -> verdicts.add(rename(Checks.recovered(history.withRecovery(recovery),
          CaseReport.RECOVERY_BOUND), "F[" + kind + "]")));
      verdicts.add(Checks.deadLetterPerInjection(history));
      if (!notTried.isEmpty()) {
        verdicts.add(new Verdict("not tried", false, Map.of("kinds", (long) notTried.size()),
            List.of("a canary went unanswered, so the consumer is wedged; not tried: " + notTried)));
      }
      CaseReport.report(name, verdicts, started, "");
      allocatorLog = tail(kos.log("allocator"));
      if (wedged) {
        shared = null;
        kos.close();
      }
    } catch (Exception | Error e) {
      shared = null;
      kos.close();
      throw e;
    }
    assertThat(verdicts).as("F and G of " + name + "; allocator log:%n%s", allocatorLog)
        .allSatisfy(v -> assertThat(v.passed()).as(v.summary()).isTrue());
  }

  /**
   * The canary of a poison case: the commands of {@link ChaosCluster#canary}, then canary app scaled
   * to {@code tasks} and its newest task RUNNING. Returns when all that was seen, or empty.
   */
  private static OptionalLong canaryWithTask(ChaosCluster kos, int tasks, Duration timeout) throws Exception {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    if (kos.canary(timeout).isEmpty()) {
      return OptionalLong.empty();
    }
    if (kos.command(new ScaleApp(ChaosCluster.CANARY_APP, tasks), left(deadline)).isEmpty()) {
      return OptionalLong.empty();
    }
    while (System.currentTimeMillis() < deadline) {
      long running = kos.reader().read(History.empty()).statuses().stream()
          .filter(s -> s.taskId().startsWith("chaos_canary.") && s.state().equals("RUNNING"))
          .map(History.Status::taskId).distinct().count();
      if (running >= tasks) {
        return OptionalLong.of(System.currentTimeMillis());
      }
      Thread.sleep(300);
    }
    return OptionalLong.empty();
  }

  private static Duration left(long deadline) {
    return Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()));
  }

  private static Verdict rename(Verdict verdict, String check) {
    return new Verdict(check, verdict.passed(), verdict.counts(), verdict.evidence());
  }

  private static String tail(String log) {
    return log.length() <= 4000 ? log : log.substring(log.length() - 4000);
  }
}
