package dev.kos.systemtests.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bus.catalog.Topics;
import dev.kos.systemtests.ForkPorts;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.ClasspathListing;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.OneClusterCaseAtATime;
import dev.kos.bus.testing.TestBus;
import dev.kos.cli.InProcessKos;
import dev.kos.frameworks.kafka.KafkaFramework;
import dev.kos.frameworks.kafka.KafkaFrameworkSettings;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.frameworks.kafka.core.Placement;
import dev.kos.frameworks.kafka.core.SelfHealing;
import dev.kos.schema.MetricSample;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.StatusEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kafka framework end to end: a bus broker, the allocator, four real agents, and Kafka clusters whose brokers
 * are real broker JVMs started by those agents. Prints the figures of docs/kafka-framework.md.
 */
@ExtendWith({KafkaBrokerExtension.class, OneClusterCaseAtATime.class})
@Timeout(value = 20, unit = java.util.concurrent.TimeUnit.MINUTES)
class KafkaFrameworkIT {

  private static final int RECORDS = 100_000;
  /**
   * Records per second the clients send while the cluster grows, restarts and upgrades: enough that every step is
   * taken under load, with half the records to move and read back that 500/s gave. The case's time goes mostly to
   * broker starts and restarts (its wall time stayed near 455 s at either rate in full runs on a clean clone).
   */
  private static final int RATE = 250;
  /**
   * Records the load goes on for once the faults are over (5 s at {@link #RATE}), then ends: the records are a
   * cap, and waiting out the rest of them proved nothing more (it was 95 s of the grow test).
   */
  private static final int AFTER_THE_FAULTS = 5 * RATE;
  private static final Duration SLOW = Duration.ofMinutes(6);
  /** The scaling policy's per-broker bytes-in target: a few KB/s, far below what the load sends each broker. */
  private static final int TARGET = 2_000;
  /**
   * How long bytes-in must stay low before the autoscaler removes a broker: long while the test checks the grown
   * cluster after the load, then none, so the scale-in comes when the test is ready for it and not on a timer.
   */
  private static final int HOLD_DOWN_SECONDS = 600;
  private static final int UPGRADE_RECORDS = 30_000;
  /** The release the upgrade test starts from, listed by cli/kafka-4.2-runtime. */
  private static final String PREVIOUS = "4.2.2";
  private static final String PREVIOUS_LISTING = "/dev/kos/cli/kafka/kafka-4.2.classpath";
  /**
   * The self-healing case's agents kill their tasks this long after they stop renewing their lease: below the
   * allocator's agent timeout (20 s), as {@code kos agent}'s default is, and long enough that a busy test JVM renews
   * in time.
   */
  private static final Duration TASK_LEASE = Duration.ofSeconds(10);
  /** How long the self-healing case's framework waits for a lost broker's agent (10 min by default). */
  private static final Duration AGENT_PATIENCE = Duration.ofSeconds(3);

  /** Kept when a test fails: the brokers' own logs are in their sandboxes under it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  Path dir;

  @AfterEach
  void killBrokers() {
    BrokerProcesses.killAll(dir);
  }

  @Test
  void shouldGrowAndReconfigureAClusterWhileClientsKeepWorkingThenShrinkIt(@BootstrapServers String bootstrap) throws Exception {
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = allocator(bus);
        BusAgent a1 = agent(bus, "a1", 1000);
        BusAgent a2 = agent(bus, "a2", 1100);
        BusAgent a3 = agent(bus, "a3", 1200);
        BusAgent a4 = agent(bus, "a4", 1300);
        KafkaFramework framework = new KafkaFramework(bus.bus(), settings(), Clock.systemUTC()).start()) {
      InProcessKos kos = InProcessKos.on(bus, dir.resolve("home"));
      InProcessKos.Result unknown = kos.run("kafka", "broker", "add", "nope");
      assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
      assertThat(unknown.err()).contains("no kafka cluster nope");

      long createStart = System.nanoTime();
      assertThat(kos.run("kafka", "create", "demo", "--brokers", "3", "--cpus", "0.3", "--mem", "768",
          "--disk", "2048").exitCode()).isZero();
      await("3 healthy brokers", SLOW, () -> healthy(framework, "demo") == 3);
      double createSeconds = seconds(createStart);
      InProcessKos.Result controller = kos.run("kafka", "broker", "remove", "demo", "1");
      assertThat(controller.exitCode()).isEqualTo(1);
      assertThat(controller.err()).contains("KRaft controller");

      String endpoints = framework.bootstrapServers("demo").orElseThrow();
      try (Admin admin = admin(endpoints)) {
        admin.createTopics(List.of(new NewTopic("orders", 6, (short) 3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get();
        try (KafkaLoad load = new KafkaLoad(endpoints, "orders").start(RECORDS, RATE)) {
          await("30 s of records acknowledged", SLOW, () -> load.acked() >= 30L * RATE);
          long addStartMs = load.elapsedMs();
          long addStart = System.nanoTime();
          // The brokers' own bytes-in, per broker, is far above the policy's target: first only advice...
          setPolicy(kos, "ADVISORY", HOLD_DOWN_SECONDS);
          ScaleDecision advice = awaitDecision(bus, "demo", ScaleMode.ADVISORY);
          assertThat(advice.getReason()).as(advice.toString()).startsWith("scale demo from 3 to 4: bytesInPerSec is ");
          assertThat(advice.getMetrics()).containsKey("bytesInPerSec").containsEntry("target", (double) TARGET);
          assertThat(framework.clusters().get("demo").brokers()).as("an advisory adds nothing").hasSize(3);
          // ... then the autoscaler adds the broker itself.
          setPolicy(kos, "AUTOMATIC", HOLD_DOWN_SECONDS);
          await("broker 4 healthy", SLOW, () -> healthy(framework, "demo") == 4);
          double joinSeconds = seconds(addStart);
          await("partitions moved onto broker 4", SLOW, () -> rebalanced(framework) && replicasOn(admin, 4) > 0);
          double addSeconds = seconds(addStart);
          long bytes = logBytes(admin);

          long restartStartMs = load.elapsedMs();
          long restartStart = System.nanoTime();
          assertThat(kos.run("kafka", "config", "demo", "log.retention.hours=72").exitCode()).isZero();
          await("every broker restarted with config version 2", SLOW, () -> restartedAll(framework, 2)
              && underReplicated(admin) == 0);
          double restartSeconds = seconds(restartStart);
          long restartEndMs = load.elapsedMs();

          load.finishAfter(AFTER_THE_FAULTS);
          assertEveryRecordReadAsProduced(load);

          List<String> kinds = statusKinds(bus);
          assertThat(kinds).filteredOn("ROLLING_RESTART_STEP"::equals).hasSize(4);
          assertThat(kinds).contains("REASSIGNMENT_STARTED", "REASSIGNMENT_FINISHED", "BROKER_HEALTHY");
          List<MetricSample> samples = bus.readCommitted(Topics.METRICS, 1).stream().map(TestBus.Keyed::value)
              .filter(sample -> "demo".equals(sample.getAppId())).toList();
          assertThat(samples).extracting(MetricSample::getKind).contains("service");
          assertThat(samples).as("bytes in and out read over the brokers' JMX")
              .anySatisfy(sample -> assertThat(sample.getValues().getOrDefault("bytesIn", 0.0)).isPositive())
              .anySatisfy(sample -> assertThat(sample.getValues().getOrDefault("bytesOut", 0.0)).isPositive());
          Placement first = framework.clusters().get("demo").broker(1).orElseThrow().placement().orElseThrow();
          assertThatThrownBy(() -> JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://"
              + first.hostname() + ":" + first.jmxPort() + "/jmxrmi")).close())
              .as("a broker's JMX without the password").isInstanceOf(SecurityException.class);
          InProcessKos.Result describe = kos.run("kafka", "describe", "demo");
          assertThat(describe.out()).contains("kafka.demo.broker-4.2", "REASSIGNMENT_FINISHED");
          com.fasterxml.jackson.databind.JsonNode described = new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(kos.run("kafka", "describe", "demo", "--json").out());
          assertThat(described.get("cluster").get("name").asText()).isEqualTo("demo");
          assertThat(described.get("cluster").path("jmxSecret").asText(null)).as("no JMX password in a listing").isNull();
          assertThat(described.get("reassignment").get("kind").asText()).isEqualTo("REASSIGNMENT_FINISHED");
          assertThat(kos.run("kafka", "endpoints", "demo").out().strip())
              .isEqualTo(framework.bootstrapServers("demo").orElseThrow()).contains(endpoints);

          System.out.printf("%nkafka framework figures (4 agents, brokers -Xmx384m, 2 cores shared by all):%n");
          System.out.printf("  create 3 brokers to healthy: %.1f s%n", createSeconds);
          System.out.printf("  add 1 broker: healthy after %.1f s, partitions moved after %.1f s "
              + "(%d partitions x RF 3, %.1f MB in the cluster's log dirs, throttle %d B/s)%n", joinSeconds,
              addSeconds, 6, bytes / 1e6, settings().throttleBytesPerSecond());
          System.out.printf("  rolling restart of 4 brokers: %.1f s%n", restartSeconds);
          System.out.printf("  producer acks=all, %d records at %d/s: latency before the add %s; during the "
              + "rolling restart %s%n", load.sent(), RATE, percentiles(load.acks(), 0, addStartMs),
              percentiles(load.acks(), restartStartMs, restartEndMs));
          System.out.println(describe.out());

          // The load has stopped; with the policy's down window lifted, the autoscaler removes broker 4.
          long removeStart = System.nanoTime();
          setPolicy(kos, "AUTOMATIC", 0);
          await("broker 4 drained, stopped and released", SLOW,
              () -> framework.clusters().get("demo").broker(4).isEmpty());
          ScaleDecision scaleIn = awaitDecision(bus, "demo", ScaleMode.AUTOMATIC, 3);
          assertThat(scaleIn.getReason()).startsWith("scale demo from 4 to 3: bytesInPerSec is ");
          assertThat(endOffsets(admin, "orders")).as("every record still there after the scale-in")
              .isEqualTo(load.produced().values().stream().mapToLong(List::size).sum());
          assertThat(replicasOn(admin, 4)).isZero();
          assertThat(underReplicated(admin)).isZero();
          assertThat(BrokerProcesses.under(dir, "kafka-demo-4")).isEmpty();
          // The framework forgets the broker once its accept destroyed the volume (as Mesos's master applies an
          // offer operation at once); the agent deletes the directory when that operation reaches it.
          await("broker 4's volume deleted on its agent", SLOW, () -> !volumeDirectoryExists("kafka-demo-4"));
          assertThat(statusKinds(bus)).contains("BROKER_REMOVING", "BROKER_REMOVED", "BROKER_RELEASED");
          System.out.printf("  policy's down window lifted after the load -> autoscaler's scale-in -> broker 4 removed "
              + "(partitions moved away, stopped, volume and reservation released): %.1f s%n", seconds(removeStart));
        }
      }
    }
  }

  @Test
  void shouldUpgradeAClusterFromKafka42WhileClientsKeepWorking(@BootstrapServers String bootstrap) throws Exception {
    KafkaFrameworkSettings settings = settings().withKafka(PREVIOUS, ClasspathListing.read(PREVIOUS_LISTING,
        "cli/kafka-4.2-runtime"));
    String current = settings.kafkaVersion();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = allocator(bus);
        BusAgent a1 = agent(bus, "a1", 1400, Map.of("zone", "z1"));
        BusAgent a2 = agent(bus, "a2", 1500, Map.of("zone", "z2"));
        BusAgent a3 = agent(bus, "a3", 1600, Map.of("zone", "z3"));
        KafkaFramework framework = new KafkaFramework(bus.bus(), settings, Clock.systemUTC()).start()) {
      InProcessKos kos = InProcessKos.on(bus, dir.resolve("home"));
      assertThat(kos.run("kafka", "create", "old", "--brokers", "3", "--cpus", "0.3", "--mem", "768",
          "--version", PREVIOUS).exitCode()).isZero();
      await("3 healthy brokers of Kafka " + PREVIOUS, SLOW, () -> healthy(framework, "old") == 3);
      assertThat(brokerJars("old")).as("the brokers run Kafka " + PREVIOUS + "'s jars")
          .allSatisfy(line -> assertThat(line).contains("kafka_2.13-" + PREVIOUS + ".jar"));
      String identity = Files.readString(metaProperties("kafka-old-1"));

      String endpoints = framework.bootstrapServers("old").orElseThrow();
      try (Admin admin = admin(endpoints)) {
        assertThat(admin.describeCluster().nodes().get()).as("broker.rack from the agents' zones")
            .extracting(Node::rack).containsExactlyInAnyOrder("z1", "z2", "z3");
        short levelBefore = metadataLevel(admin);
        admin.createTopics(List.of(new NewTopic("payments", 6, (short) 3)
            .configs(Map.of("min.insync.replicas", "2")))).all().get();
        try (KafkaLoad load = new KafkaLoad(endpoints, "payments").start(UPGRADE_RECORDS, RATE)) {
          await("5,000 records acknowledged", SLOW, () -> load.acked() >= 5_000);
          long upgradeStartMs = load.elapsedMs();
          long upgradeStart = System.nanoTime();
          InProcessKos.Result upgrade = kos.run("kafka", "upgrade", "old", "--version", current);
          assertThat(upgrade.exitCode()).as(upgrade.toString()).isZero();
          InProcessKos.Result downgrade = kos.run("kafka", "upgrade", "old", "--version", PREVIOUS);
          assertThat(downgrade.exitCode()).isEqualTo(1);
          assertThat(downgrade.err()).contains("kos does not downgrade");
          await("every broker restarted onto Kafka " + current, SLOW, () -> framework.clusters().get("old")
              .brokers().stream().allMatch(b -> b.version().filter(current::equals).isPresent()
                  && b.runningHealthy()) && healthy(framework, "old") == 3 && underReplicated(admin) == 0);
          double rollSeconds = seconds(upgradeStart);
          long upgradeEndMs = load.elapsedMs();
          await("metadata.version raised", SLOW, () -> metadataLevel(admin) > levelBefore);
          double raisedSeconds = seconds(upgradeStart);

          load.finishAfter(AFTER_THE_FAULTS);
          assertEveryRecordReadAsProduced(load);
          assertThat(brokerJars("old")).as("the brokers run Kafka " + current + "'s jars")
              .allSatisfy(line -> assertThat(line).contains("kafka_2.13-" + current + ".jar"));
          assertThat(Files.readString(metaProperties("kafka-old-1"))).as("the same volume").isEqualTo(identity);
          assertThat(statusKinds(bus)).filteredOn("ROLLING_RESTART_STEP"::equals).hasSize(3);
          assertThat(statusKinds(bus)).containsOnlyOnce("METADATA_VERSION_RAISED");
          InProcessKos.Result describe = kos.run("kafka", "describe", "old");
          assertThat(describe.out()).contains("Kafka " + current + ", config version 2");
          assertThat(kos.run("kafka", "list").out()).containsPattern("old +" + current.replace(".", "\\.")
              + " +3/3 healthy +2 +NONE +127\\.0\\.0\\.1:" + ForkPorts.port(1400));
          assertThat(kos.run("kafka", "list", "--json").out()).contains("\"name\" : \"old\"", "\"version\" : \""
              + current + "\"").contains("\"jmxSecret\" : null");

          System.out.printf("%nkafka upgrade %s -> %s of 3 brokers under load: rolled in %.1f s, metadata.version "
              + "level %d -> %d after %.1f s; producer latency before %s, during %s%n", PREVIOUS, current,
              rollSeconds, levelBefore, metadataLevel(admin), raisedSeconds,
              percentiles(load.acks(), 0, upgradeStartMs), percentiles(load.acks(), upgradeStartMs, upgradeEndMs));
        }
      }
    }
  }

  /**
   * Waits for the load to end, then: every record acknowledged, no error surfaced to the producer beyond
   * retriable ones, the consumer read exactly what was produced, and no partition went leaderless at any poll.
   */
  private static void assertEveryRecordReadAsProduced(KafkaLoad load) throws InterruptedException {
    await("every record acknowledged", SLOW, load::producerDone);
    int records = load.sent();
    assertThat(load.fatalErrors()).as("sends the producer gave up on, and consumer errors").isEmpty();
    assertThat(load.acked()).isEqualTo(records);
    try {
      await("every record consumed", SLOW, () -> load.consumed() >= records || !load.fatalErrors().isEmpty());
      assertThat(load.fatalErrors()).as("consumer errors").isEmpty();
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": consumed " + load.consumed() + " of " + records + "; per "
          + "partition consumed " + counts(load.consumedRecords()) + ", produced " + counts(load.produced()), e);
    }
    load.close();
    assertThat(load.consumedRecords()).isEqualTo(load.produced());
    assertThat(load.maxOfflinePartitions()).isZero();
  }

  private static Map<Integer, Integer> counts(Map<Integer, List<String>> perPartition) {
    Map<Integer, Integer> counts = new TreeMap<>();
    perPartition.forEach((partition, values) -> counts.put(partition, values.size()));
    return counts;
  }

  private List<String> brokerJars(String cluster) {
    return Stream.of(1, 2, 3).flatMap(node -> BrokerProcesses.under(dir, "kafka-" + cluster + "-" + node).stream())
        .map(BrokerProcesses::commandLine).toList();
  }

  private static short metadataLevel(Admin admin) {
    try {
      return admin.describeFeatures().featureMetadata().get().finalizedFeatures().get("metadata.version")
          .maxVersionLevel();
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe the features: " + e, e);
    }
  }

  /**
   * Four brokers on five agents, the fifth spare. Broker 2 (a controller) is killed and comes back where it was;
   * then the framework restarts; then broker 4's agent goes away for good and broker 4 is placed anew on the spare.
   * The agents here hold a task lease ({@link #TASK_LEASE}), as {@code kos agent} does: an agent that stops takes its
   * tasks with it once the lease lapses, as a machine that dies does.
   */
  @Test
  void shouldRelaunchAKilledBrokerOnItsAgentResumeAfterAFrameworkRestartAndReplaceABrokerWhoseAgentIsGone(
      @BootstrapServers String bootstrap) throws Exception {
    Map<String, BusAgent> agents = new TreeMap<>();
    try (TestBus bus = TestBus.start(bootstrap, 2);
        AllocatorService allocator = allocator(bus)) {
      try {
        for (int n = 1; n <= 5; n++) {
          agents.put("a" + n, BusAgent.start(agentSettings(bus, "a" + n, 1700 + 100 * n, Map.of())
              .withTaskLease(TASK_LEASE), Clock.systemUTC()));
        }
        KafkaFramework framework = new KafkaFramework(bus.bus(), healingSettings(), Clock.systemUTC()).start();
        try {
          killABrokerAndRestartTheFramework(bus, framework, agents);
        } finally {
          framework.close();
        }
      } finally {
        agents.values().forEach(BusAgent::close);
      }
    }
  }

  private void killABrokerAndRestartTheFramework(TestBus bus, KafkaFramework framework, Map<String, BusAgent> agents)
      throws Exception {
    InProcessKos kos = InProcessKos.on(bus, dir.resolve("home"));
    assertThat(kos.run("kafka", "create", "solo", "--brokers", "4", "--cpus", "0.3", "--mem", "768").exitCode())
        .isZero();
    await("4 healthy brokers", SLOW, () -> healthy(framework, "solo") == 4);
    String endpoints = framework.bootstrapServers("solo").orElseThrow();
    Broker before = framework.clusters().get("solo").broker(2).orElseThrow();
    Path meta = metaProperties("kafka-solo-2");
    String identity = Files.readString(meta);
    List<ProcessHandle> victims = BrokerProcesses.under(dir, "kafka-solo-2");
    assertThat(victims).hasSize(1);

    try (Admin admin = admin(endpoints)) {
      admin.createTopics(List.of(new NewTopic("events", 3, (short) 3)
          .configs(Map.of("min.insync.replicas", "2")))).all().get();
      try (KafkaLoad load = new KafkaLoad(endpoints, "events").start(20_000, 1_000)) {
        await("5,000 records acknowledged", SLOW, () -> load.acked() >= 5_000);
        long killedAt = System.nanoTime();
        victims.get(0).destroyForcibly();
        await("broker 2 relaunched and healthy", SLOW, () -> framework.clusters().get("solo").broker(2)
            .filter(b -> b.attempt() == 2 && b.runningHealthy()).isPresent());
        await("broker 2 back in every ISR", SLOW, () -> underReplicated(admin) == 0);
        double recoverySeconds = seconds(killedAt);
        load.finishAfter(AFTER_THE_FAULTS);
        assertEveryRecordReadAsProduced(load);

        Broker after = framework.clusters().get("solo").broker(2).orElseThrow();
        assertThat(after.placement()).isEqualTo(before.placement());
        assertThat(Files.readString(meta)).isEqualTo(identity);
        assertThat(BrokerProcesses.under(dir, "kafka-solo-2")).singleElement()
            .satisfies(p -> assertThat(p.pid()).isNotEqualTo(victims.get(0).pid()));
        assertThat(statusKinds(bus)).contains("BROKER_FAILED");
        System.out.printf("%nkill -9 of broker 2: relaunched on %s with its volume and back in every ISR "
            + "after %.1f s%n", after.placement().orElseThrow().agentId(), recoverySeconds);
      }
    }

    Map<String, Long> pids = brokerPids();
    KafkaCluster beforeRestart = framework.clusters().get("solo");
    framework.close();
    try (KafkaFramework restarted = new KafkaFramework(bus.bus(), healingSettings(), Clock.systemUTC()).start()) {
      assertThat(restarted.clusters()).as("read back from kos.kafka-clusters").containsKey("solo");
      await("the restarted framework sees 4 healthy brokers", SLOW, () -> healthy(restarted, "solo") == 4);
      assertThat(restarted.clusters().get("solo").brokers()).extracting(Broker::placement)
          .isEqualTo(beforeRestart.brokers().stream().map(Broker::placement).toList());
      assertThat(brokerPids()).as("the brokers ran on: nothing was relaunched").isEqualTo(pids);
      loseTheAgentOfBroker4(bus, restarted, agents);
      assertThat(kos.run("kafka", "config", "solo", "log.retention.hours=48").exitCode())
          .as("the restarted framework answers for the cluster").isZero();
    }
  }

  /**
   * Self-healing: broker 4 (broker-only) holds a replica of every partition of a topic and leads them all; its agent
   * stops for good. Once the agent's lease lapses its broker dies with it; once the allocator declares the agent lost
   * and the framework's patience ({@link #AGENT_PATIENCE}) is over, broker 4 is placed anew on the spare agent, with
   * an empty volume, and its replicas re-replicate: every partition back to full ISR, every record still there.
   */
  private void loseTheAgentOfBroker4(TestBus bus, KafkaFramework framework, Map<String, BusAgent> agents)
      throws Exception {
    String endpoints = framework.bootstrapServers("solo").orElseThrow();
    Placement before = framework.clusters().get("solo").broker(4).orElseThrow().placement().orElseThrow();
    String lost = before.agentId();
    try (Admin admin = admin(endpoints)) {
      admin.createTopics(List.of(new NewTopic("healing", Map.of(0, List.of(4, 1, 2), 1, List.of(4, 2, 3),
          2, List.of(4, 3, 1))).configs(Map.of("min.insync.replicas", "2")))).all().get();
      Map<Integer, List<String>> produced;
      try (KafkaLoad load = new KafkaLoad(endpoints, "healing").start(3_000, 1_000)) {
        await("3,000 records produced", SLOW, load::producerDone);
        assertThat(load.fatalErrors()).isEmpty();
        assertThat(load.acked()).isEqualTo(3_000);
        produced = load.produced();
      }

      long lostAt = System.nanoTime();
      agents.remove(lost).close();
      await("broker 4's JVM gone with its agent " + lost + " (its task lease lapsed)", SLOW,
          () -> BrokerProcesses.under(dir.resolve(lost), "kafka-solo-4").isEmpty());
      double diedSeconds = seconds(lostAt);
      await("broker 4 placed anew on another agent, healthy and registered", SLOW, () -> framework.clusters()
          .get("solo").broker(4).filter(b -> b.runningHealthy() && b.placement().filter(p -> !p.agentId()
              .equals(lost)).isPresent()).isPresent() && healthy(framework, "solo") == 4);
      double replacedSeconds = seconds(lostAt);
      await("every partition back to full ISR", SLOW, () -> underReplicated(admin) == 0);
      double healedSeconds = seconds(lostAt);

      Placement after = framework.clusters().get("solo").broker(4).orElseThrow().placement().orElseThrow();
      assertThat(after.agentId()).isNotEqualTo(lost).isIn(agents.keySet());
      assertThat(admin.describeCluster().nodes().get()).as("broker 4 as the cluster knows it")
          .filteredOn(node -> node.id() == 4).singleElement()
          .satisfies(node -> assertThat(node.host() + ":" + node.port()).isEqualTo(after.clientEndpoint()));
      assertThat(admin.describeTopics(List.of("healing")).allTopicNames().get().get("healing").partitions())
          .as("broker 4 back in the ISR of every partition it holds").allSatisfy(p -> assertThat(p.isr())
              .extracting(Node::id).contains(4).containsExactlyInAnyOrderElementsOf(p.replicas().stream()
                  .map(Node::id).toList()));
      try (KafkaLoad reader = new KafkaLoad(endpoints, "healing").start(0, 1)) {
        await("the 3,000 records read back", SLOW, () -> reader.consumed() >= 3_000
            || !reader.fatalErrors().isEmpty());
        reader.close();
        assertThat(reader.fatalErrors()).isEmpty();
        assertThat(reader.consumedRecords()).as("every record produced before the loss").isEqualTo(produced);
      }
      assertThat(statusKinds(bus)).contains("BROKER_REPLACED");
      assertThat(BrokerProcesses.under(dir, "kafka-solo-4")).as("no broker 4 but the new one").singleElement()
          .satisfies(p -> assertThat(BrokerProcesses.commandLine(p)).contains(dir.resolve(after.agentId()) + "/"));
      System.out.printf("%nagent %s of broker 4 stopped for good: broker gone with it after %.1f s, placed anew on "
          + "%s and healthy after %.1f s, every partition back to full ISR after %.1f s (task lease %d s, agent "
          + "timeout %d s, patience %d s)%n", lost, diedSeconds, after.agentId(), replacedSeconds, healedSeconds,
          TASK_LEASE.toSeconds(), AllocatorSettings.DEFAULT_AGENT_TIMEOUT.toSeconds(), AGENT_PATIENCE.toSeconds());
    }
  }

  private Map<String, Long> brokerPids() {
    Map<String, Long> pids = new TreeMap<>();
    for (int node = 1; node <= 4; node++) {
      pids.put("kafka-solo-" + node, BrokerProcesses.under(dir, "kafka-solo-" + node).get(0).pid());
    }
    return pids;
  }

  private AllocatorService allocator(TestBus bus) throws InterruptedException {
    return AllocatorService.start(bus.bus(), AllocatorSettings.defaults(), "allocator-" + UUID.randomUUID(),
        dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60));
  }

  /** One agent per broker: each has ten ports of its own from this fork's block, since they all share this host. */
  private BusAgent agent(TestBus bus, String id, int portOffset) {
    return agent(bus, id, portOffset, Map.of());
  }

  private BusAgent agent(TestBus bus, String id, int portOffset, Map<String, String> attributes) {
    return BusAgent.start(agentSettings(bus, id, portOffset, attributes), Clock.systemUTC());
  }

  private AgentSettings agentSettings(TestBus bus, String id, int portOffset, Map<String, String> attributes) {
    return new AgentSettings(id, "127.0.0.1", ResourceFlag.parseExact(
        "cpus:1;mem:1024;disk:4096;ports:" + ForkPorts.range(portOffset, 10)), attributes, Map.of(),
        dir.resolve(id), bus.bus().settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000);
  }

  private static KafkaFrameworkSettings settings() {
    return KafkaFrameworkSettings.defaults().withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  /** A short patience with a lost agent, so that the self-healing case waits seconds and not the default minutes. */
  private static KafkaFrameworkSettings healingSettings() {
    return settings().withHealing(SelfHealing.DEFAULTS.withAgentPatience(AGENT_PATIENCE));
  }

  /** Brokers whose port answers and that the cluster's metadata lists as alive. */
  private static long healthy(KafkaFramework framework, String cluster) {
    KafkaCluster c = framework.clusters().get(cluster);
    return c == null ? 0 : c.brokers().stream().filter(Broker::runningHealthy)
        .filter(b -> framework.observation(cluster).registered().contains(b.nodeId())).count();
  }

  private static boolean rebalanced(KafkaFramework framework) {
    return framework.clusters().get("demo").rebalance() == KafkaCluster.Rebalance.NONE;
  }

  private static boolean restartedAll(KafkaFramework framework, long version) {
    return framework.clusters().get("demo").brokers().stream()
        .allMatch(b -> b.configVersion() == version && b.runningHealthy())
        && framework.observation("demo").registered().size() == 4;
  }

  private static long replicasOn(Admin admin, int nodeId) {
    return partitions(admin).stream().filter(p -> p.replicas().stream().anyMatch(n -> n.id() == nodeId)).count();
  }

  private static long underReplicated(Admin admin) {
    return partitions(admin).stream().filter(p -> p.isr().size() < p.replicas().size()).count();
  }

  private static List<TopicPartitionInfo> partitions(Admin admin) {
    try {
      List<TopicPartitionInfo> all = new ArrayList<>();
      for (TopicDescription topic : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get()
          .values()) {
        all.addAll(topic.partitions());
      }
      return all;
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe the topics: " + e, e);
    }
  }

  private static long logBytes(Admin admin) throws Exception {
    return admin.describeLogDirs(admin.describeCluster().nodes().get().stream().map(n -> n.id()).toList())
        .allDescriptions().get().values().stream().flatMap(dirs -> dirs.values().stream())
        .flatMap(d -> d.replicaInfos().values().stream()).mapToLong(info -> info.size()).sum();
  }

  private Path metaProperties(String volumeId) throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.endsWith(Path.of(volumeId, "data", "logs", "meta.properties"))).findFirst()
          .orElseThrow(() -> new AssertionError("no meta.properties in volume " + volumeId + " under " + dir));
    }
  }

  /** `kos kafka policy demo FILE`: bytes-in per broker against {@link #TARGET}, between 3 and 4 brokers. */
  private void setPolicy(InProcessKos kos, String mode, int downWindowSeconds) throws java.io.IOException {
    Path file = Files.writeString(dir.resolve("policy-" + mode + "-" + downWindowSeconds + ".json"),
        "{\"metric\": \"bytesInPerSec\", \"target\": " + TARGET + ", \"minInstances\": 3, \"maxInstances\": 4, "
        + "\"mode\": \"" + mode + "\", \"cooldownSeconds\": 0, \"scaleUpStabilizationSeconds\": 0, "
        + "\"scaleDownStabilizationSeconds\": " + downWindowSeconds + "}");
    InProcessKos.Result set = kos.run("kafka", "policy", "demo", file.toString());
    assertThat(set.exitCode()).as(set.toString()).isZero();
  }

  private static ScaleDecision awaitDecision(TestBus bus, String cluster, ScaleMode mode) throws InterruptedException {
    return awaitDecision(bus, cluster, mode, -1);
  }

  /** The first decision on {@code cluster} in {@code mode} (and to {@code to}, unless negative). */
  private static ScaleDecision awaitDecision(TestBus bus, String cluster, ScaleMode mode, int to)
      throws InterruptedException {
    List<ScaleDecision> found = new ArrayList<>();
    await(mode + " scale decision on " + cluster, SLOW, () -> {
      bus.readCommitted(Topics.SCALE_DECISIONS, 0).stream().map(TestBus.Keyed::value)
          .filter(d -> d.getTarget().equals(cluster) && d.getMode() == mode && (to < 0 || d.getTo() == to))
          .findFirst().ifPresent(found::add);
      return !found.isEmpty();
    });
    return found.get(0);
  }

  private static long endOffsets(Admin admin, String topic) throws Exception {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new TreeMap<>(
        java.util.Comparator.comparingInt(org.apache.kafka.common.TopicPartition::partition));
    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().forEach(p ->
        latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
            org.apache.kafka.clients.admin.OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().values().stream()
        .mapToLong(org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
  }

  private static List<String> statusKinds(TestBus bus) {
    return bus.readCommitted(Topics.STATUS, 1).stream().map(TestBus.Keyed::value)
        .filter(event -> "kafka".equals(event.getFramework())).map(StatusEvent::getKind).toList();
  }

  private static Admin admin(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return Admin.create(props);
  }

  /** Whether any agent under the test's directory has the volume's directory. */
  private boolean volumeDirectoryExists(String persistenceId) {
    try (Stream<Path> volumes = Files.walk(dir)) {
      return volumes.anyMatch(p -> p.endsWith(Path.of("volumes", persistenceId)));
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return true; // a directory vanished under the walk: look again
    }
  }

  /** p50 / p99 / max of the acks of records sent in [fromMs, toMs). */
  private static String percentiles(List<KafkaLoad.Ack> acks, long fromMs, long toMs) {
    long[] sorted = acks.stream().filter(a -> a.sentAtMs() >= fromMs && a.sentAtMs() < toMs)
        .mapToLong(KafkaLoad.Ack::latencyMs).sorted().toArray();
    if (sorted.length == 0) {
      return "(no sends)";
    }
    return String.format("p50 %d ms, p99 %d ms, max %d ms over %d sends", sorted[sorted.length / 2],
        sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)], sorted[sorted.length - 1],
        sorted.length);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      Thread.sleep(250);
    }
  }
}
