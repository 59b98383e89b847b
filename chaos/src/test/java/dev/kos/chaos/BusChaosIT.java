package dev.kos.chaos;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaCluster;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import dev.kos.bus.testing.OneClusterCaseAtATime;
import dev.kos.chaos.history.Checks;
import dev.kos.chaos.history.History.LiveTask;
import dev.kos.chaos.history.History.Recovery;
import dev.kos.chaos.history.History;
import dev.kos.chaos.history.Verdict;
import dev.kos.schema.CommandResult;
import dev.kos.schema.DeployApp;
import dev.kos.schema.ScaleApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the bus itself, on brokers of the case's own (the shared test broker cannot be frozen or killed).
 *
 * <p>On one broker, a 3-instance app running on two agents: the broker frozen 20 s (longer than the allocator's
 * agent timeout, 15 s), then killed with -9 and restarted on its data dir and ports a minute later (the bus away
 * for 60 s plus the broker's start: every producer, consumer loop, transaction and heartbeat outwaits it). Both run on one kos, one
 * after the other (a broker and a kos cost ~30 s to start on this 2-core machine; the kill starts from the state
 * the freeze recovered to, and its check O counts only what happened from the kill on). Each checks E (every
 * launch answered within 10 s), F (the canary answered within 20 s of the broker's return, no consumer lag), W
 * (3 instances run) and O (no mass LOST: none of the running tasks ends or is relaunched, no LOST status at all;
 * the allocator must take the silence of every agent for its own stall, not theirs: AgentLiveness's guards).
 *
 * <p>On three brokers (topics with 3 replicas, 2 in sync, as kos chooses for such a bus), the broker that is the
 * transaction coordinator of the allocator's Streams producer is made the leader of every kos.placements
 * partition too, then killed with -9 while a 6-instance app is being placed on one agent: the allocator's
 * transaction and its placements must fail over to the other two brokers. A bus of three losing one is no outage,
 * so F's canary is measured from the kill, with the broker still down; then the app is scaled to 12, the broker
 * restarted on its data and the app scaled to 18. Then the broker coordinating the allocator's transactions at
 * that point is frozen (SIGSTOP) for 20 s while the app is scaled to 24; once it is resumed, a canary must be
 * answered within 20 s (F[frozen]). The history is judged by A (no agent over-allocated), B (each task launched once), E, F
 * (and no lag once the brokers are back) and W.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BusChaosIT {

  private static final String WEB = "/chaos/web";
  private static final Map<String, Integer> WANTED = Map.of(WEB, 3);
  private static final Duration FREEZE = Duration.ofSeconds(20);
  /** Check F's bound: a canary answered within 20 s of the fault's end. */
  private static final Duration CANARY_BOUND = Duration.ofSeconds(20);
  /** The bar: kos survives a bus outage of at least a minute with nothing lost. */
  private static final Duration OUTAGE = Duration.ofSeconds(60);
  private static final String BURST = "/chaos/burst";
  /**
   * The case's brokers, made cheap to start on a loaded 2-core machine (three of them took 64 to over 120 s with the
   * host's load at 40): small heaps, the serial collector and the C1 compiler only (they live for a minute or two),
   * and 3 partitions rather than Kafka's 50 for the consumer offsets and the transaction state, whose creation (at
   * the first group join and the first transaction) and reloading after a kill cost many seconds. A killed broker
   * is fenced after 4 s without heartbeats rather than Kafka's 9 s (as the agents' timeouts are short here): only
   * then are its partitions and transactions moved, and the canary's 20 s start at the kill.
   */
  private static final EmbeddedKafkaSettings BROKER = EmbeddedKafkaSettings.defaults().withMaxHeap("384m")
      .withStartTimeout(Duration.ofSeconds(180))
      .withExtraJvmOptions(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"))
      .withServerOverrides(Map.of("offsets.topic.num.partitions", "3", "transaction.state.log.num.partitions", "3",
          "broker.session.timeout.ms", "4000", "broker.heartbeat.interval.ms", "1000"));

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  private static EmbeddedKafkaSettings brokerSettings;
  private static EmbeddedKafka broker;
  private static ChaosCluster single;

  @AfterAll
  static void closeSingle() {
    if (single != null) {
      single.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  // Carries the start of the broker and kos shared with the next case: up to 107 s with the host's load at 50.
  @Timeout(240)
  void brokerFrozenTwentySeconds() throws Exception {
    long started = System.currentTimeMillis();
    ChaosCluster kos = singleBrokerKos();
    Set<String> running = runningInstances(kos);

    long faultAt = System.currentTimeMillis();
    ChaosCluster.signal("STOP", broker.pid());
    try {
      Thread.sleep(FREEZE.toMillis());
    } finally {
      ChaosCluster.signal("CONT", broker.pid());
    }
    long healed = System.currentTimeMillis();

    finish(kos, "bus broker SIGSTOP 20 s (agent timeout 15 s), then SIGCONT", running, faultAt, healed, started);
  }

  @Test
  @Order(2)
  @Timeout(270)
  void brokerKilledAndRestartedOnItsDataAfterAMinute() throws Exception {
    long started = System.currentTimeMillis();
    ChaosCluster kos = singleBrokerKos();
    Set<String> running = runningInstances(kos);
    String bootstrap = broker.bootstrapServers();

    long faultAt = System.currentTimeMillis();
    ChaosCluster.signal("KILL", broker.pid());
    // Stops nothing (the process is gone) but lets go of it: its pid file, its shutdown hook.
    broker.close();
    Thread.sleep(OUTAGE.toMillis());
    broker = EmbeddedKafka.start(brokerSettings);
    long healed = System.currentTimeMillis();
    if (!broker.bootstrapServers().equals(bootstrap)) {
      throw new AssertionError("the broker came back on " + broker.bootstrapServers() + ", not " + bootstrap);
    }

    finish(kos, "bus broker kill -9, restarted on its data (down " + (healed - faultAt) + " ms)", running, faultAt,
        healed, started);
  }

  @Test
  @Order(3)
  @Timeout(420)
  @ExtendWith(OneClusterCaseAtATime.class)
  void threeBrokerBusLosesTheLeaderOfPlacementsAndTheTransactionCoordinator() throws Exception {
    long started = System.currentTimeMillis();
    try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3, BROKER);
        ChaosCluster kos = new ChaosCluster(cluster.bootstrapServers(), dir.resolve("kos-3"))) {
      phase("3 brokers up", started);
      // One agent: the case is about the bus; every JVM less shortens a start-up that dominates it.
      kos.startAll(1);
      phase("3-broker kos up", started);
      // The kill lands while the first launches are pending, and more come while the broker is down.
      command(kos, new DeployApp(ChaosCluster.app(BURST, 6, 0.05)));
      int victim;
      String placements = kos.bus().bus().topic(Topics.PLACEMENTS);
      try (Admin admin = Admin.create(kos.bus().bus().settings().clientProperties())) {
        victim = coordinatorOfTransactions(admin, kos.applicationId());
        leadEveryPartition(admin, placements, victim);
      }

      long faultAt = System.currentTimeMillis();
      cluster.kill(victim);
      phase("node " + victim + " killed", started);
      OptionalLong canary = kos.canary(Duration.ofSeconds(25));
      phase("canary answered with node " + victim + " down: " + canary.isPresent(), started);
      command(kos, new ScaleApp(BURST, 12));
      // Restarted in the background while the load goes on: a broker's start takes half a minute on a busy host.
      CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> cluster.restart(victim));
      command(kos, new ScaleApp(BURST, 18));
      kos.awaitQuiescence(Map.of(BURST, 18), Duration.ofSeconds(45));
      restart.get(90, TimeUnit.SECONDS);
      phase("settled at 18, node " + victim + " back", started);

      // Then a broker frozen rather than killed: its sockets stay open and it answers nothing, so clients wait
      // on it until the controller fences it (4 s without heartbeats) and moves its leaderships and its
      // transactions. The one frozen coordinates the allocator's transactions now.
      int frozen;
      try (Admin admin = Admin.create(kos.bus().bus().settings().clientProperties())) {
        frozen = coordinatorOfTransactions(admin, kos.applicationId());
      }
      long freezeAt = System.currentTimeMillis();
      ChaosCluster.signal("STOP", cluster.pid(frozen));
      CompletableFuture<Optional<CommandResult>> scaled;
      try {
        phase("node " + frozen + " frozen", started);
        scaled = CompletableFuture.supplyAsync(() -> scaleDespiteFrozenBroker(kos, 24, Duration.ofSeconds(90)));
        Thread.sleep(FREEZE.toMillis());
      } finally {
        ChaosCluster.signal("CONT", cluster.pid(frozen));
      }
      long resumed = System.currentTimeMillis();
      phase("node " + frozen + " resumed; the scale to 24 answered while it was frozen: " + scaled.isDone(), started);
      OptionalLong frozenCanary = kos.canary(Duration.ofSeconds(25));
      if (scaled.get(90, TimeUnit.SECONDS).isEmpty()) {
        throw new AssertionError("the scale to 24 was not answered within 90 s; apps log:\n" + kos.log("apps"));
      }
      Map<String, Integer> wanted = Map.of(BURST, 24);
      History settled = kos.awaitQuiescence(wanted, Duration.ofSeconds(45));
      Map<String, Long> lag = kos.awaitNoLag(Duration.ofSeconds(15));
      History history = kos.history(settled).withRecovery(new Recovery(faultAt, canary, lag));
      long recoverMs = frozenCanary.isPresent() ? frozenCanary.getAsLong() - resumed : -1L;
      Verdict afterFreeze = Verdict.of("F[frozen]", Map.of("recover-ms", recoverMs),
          recoverMs >= 0 && recoverMs <= CANARY_BOUND.toMillis() ? List.of()
              : List.of("the canary was not answered within " + CANARY_BOUND.toSeconds() + " s of node " + frozen
                  + " being resumed (recover-ms " + recoverMs + ")"));
      CaseReport.assertPassed("3-broker bus: kill -9 of node " + victim + ", leader of " + placements
          + " and the allocator's transaction coordinator, restarted after the canary; then node " + frozen
          + " (the coordinator then) frozen 20 s", history, "ABEF", started,
          List.of(Checks.wantedInstances(settled, wanted), afterFreeze));
    }
  }

  /**
   * Sends a scale until it is answered: while a broker is frozen the sender's own metadata lookup may time out
   * (15 s) before it publishes anything, which is the test's client giving up, not kos.
   */
  private static Optional<CommandResult> scaleDespiteFrozenBroker(ChaosCluster kos, int instances, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        return kos.command(new ScaleApp(BURST, instances), Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        System.out.println("chaos: the scale to " + instances + " was not sent (" + e.getMessage() + "); again");
      }
    }
  }

  /** Prints how long the case took to reach a step: start-up costs most of a case on a busy host. */
  private static void phase(String step, long started) {
    System.out.printf("chaos: %s after %.1f s%n", step, (System.currentTimeMillis() - started) / 1e3);
  }

  /** The one-broker kos of cases 1 and 2, started by whichever runs first, with its app running. */
  private static ChaosCluster singleBrokerKos() throws Exception {
    if (single == null) {
      long started = System.currentTimeMillis();
      brokerSettings = BROKER.withDataDir(dir.resolve("broker"));
      broker = EmbeddedKafka.start(brokerSettings);
      single = new ChaosCluster(broker.bootstrapServers(), dir.resolve("kos-1"));
      single.startAll(2);
      command(single, new DeployApp(ChaosCluster.app(WEB, 3, 0.1)));
      phase("1-broker kos up", started);
    }
    return single;
  }

  /** Waits until the app runs its 3 instances, and names their tasks: the ones an outage must not lose. */
  private static Set<String> runningInstances(ChaosCluster kos) throws InterruptedException {
    History running = kos.awaitQuiescence(WANTED, Duration.ofSeconds(60));
    Set<String> tasks = running.quiescent().orElseThrow().live().stream().filter(t -> WEB.equals(t.appId()))
        .map(LiveTask::taskId).collect(Collectors.toCollection(TreeSet::new));
    if (tasks.size() != 3) {
      throw new AssertionError("the app does not run its 3 instances before the fault: " + running.quiescent()
          + "\napps log:\n" + kos.log("apps"));
    }
    return tasks;
  }

  private static void finish(ChaosCluster kos, String name, Set<String> running, long faultAt, long healed,
      long started) throws Exception {
    OptionalLong canary = kos.canary(Duration.ofSeconds(25));
    History settled = kos.awaitQuiescence(WANTED, Duration.ofSeconds(20));
    Map<String, Long> lag = kos.awaitNoLag(Duration.ofSeconds(15));
    History history = kos.history(settled).withRecovery(new Recovery(healed, canary, lag));
    List<Verdict> more = List.of(Checks.wantedInstances(settled, WANTED),
        Checks.noneLostThrough(history, running, faultAt));
    CaseReport.assertPassed(name, history, "EF", started, more);
  }

  private static void command(ChaosCluster kos, Object payload) {
    kos.command(payload, Duration.ofSeconds(30)).orElseThrow(
        () -> new AssertionError(payload + " not answered; apps log:\n" + kos.log("apps")));
  }

  /**
   * The broker coordinating the transactions of the allocator's Streams producer(s). With one stream thread
   * there is one; should there be several on different brokers, the first is taken and the others named.
   */
  private static int coordinatorOfTransactions(Admin admin, String applicationId) throws Exception {
    List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
        .map(TransactionListing::transactionalId).filter(id -> id.startsWith(applicationId)).sorted().toList();
    if (ids.isEmpty()) {
      throw new AssertionError("the allocator " + applicationId + " has no transactional producer on the bus");
    }
    Map<String, TransactionDescription> described = admin.describeTransactions(ids).all().get(30, TimeUnit.SECONDS);
    Map<String, Integer> coordinators = described.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().coordinatorId()));
    if (new java.util.HashSet<>(coordinators.values()).size() > 1) {
      System.out.println("chaos: the allocator's transactions have several coordinators " + coordinators
          + "; the case kills the first's");
    }
    return coordinators.get(ids.get(0));
  }

  /**
   * Makes {@code broker} the leader of every partition of {@code topic}: it becomes the first (preferred) replica,
   * then a preferred leader election moves the leadership.
   */
  private static void leadEveryPartition(Admin admin, String topic, int broker) throws Exception {
    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
        .get(topic);
    Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
    for (TopicPartitionInfo partition : description.partitions()) {
      List<Integer> replicas = new ArrayList<>(partition.replicas().stream().map(Node::id).toList());
      if (!replicas.contains(broker)) {
        throw new AssertionError(topic + "-" + partition.partition() + " has no replica on broker " + broker + ": "
            + replicas);
      }
      if (replicas.get(0) != broker) {
        replicas.remove(Integer.valueOf(broker));
        replicas.add(0, broker);
        moves.put(new TopicPartition(topic, partition.partition()), Optional.of(new NewPartitionReassignment(replicas)));
      }
    }
    if (!moves.isEmpty()) {
      admin.alterPartitionReassignments(moves).all().get(30, TimeUnit.SECONDS);
    }
    Set<TopicPartition> partitions = description.partitions().stream()
        .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toSet());
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        admin.electLeaders(ElectionType.PREFERRED, partitions).partitions().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        // A partition whose preferred replica leads already needs no election; the leaders are checked below.
      }
      Map<Integer, Integer> leaders = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic).partitions().stream()
          .collect(Collectors.toMap(TopicPartitionInfo::partition, p -> p.leader() == null ? -1 : p.leader().id()));
      if (leaders.values().stream().allMatch(l -> l == broker)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("broker " + broker + " did not become the leader of " + topic + ": " + leaders);
      }
      Thread.sleep(200);
    }
  }
}
