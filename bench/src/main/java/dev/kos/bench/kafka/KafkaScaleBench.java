package dev.kos.bench.kafka;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.config.ResourceFlag;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.bench.agent.BenchBus;
import dev.kos.bench.lb.Percentiles;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.cli.Kos;
import dev.kos.frameworks.kafka.KafkaFramework;
import dev.kos.frameworks.kafka.KafkaFrameworkSettings;
import dev.kos.frameworks.kafka.core.Broker;
import dev.kos.frameworks.kafka.core.KafkaCluster;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The kafka framework's scale-out under load (issue 21). Each run starts its own stack in this JVM, as
 * {@code KafkaFrameworkIT} does: the bus broker (a process of its own), the allocator, four real agents (whose
 * brokers are real broker JVMs) and the kafka framework. It creates a 3-broker cluster, a topic of 6 partitions x
 * RF 3 (min.insync.replicas 2), runs a paced acks=all producer, and after {@code warmup-seconds} of acks sets an
 * AUTOMATIC scaling policy whose bytes-in target per broker is far below the load. It times: policy set to the
 * autoscaler's decision (on kos.scale-decisions), decision to broker 4 healthy, and to the rebalance done with
 * replicas on broker 4, with the bytes that landed on broker 4; producer ack latency before the policy and during
 * the scale-out; replicas per broker before and after.
 *
 * <p>It checks it did the work: every acked record read back with its key, in offset order, nothing else read; no
 * producer error; no partition ever without a leader; broker 4 holds replicas. A run that fails a check fails the
 * benchmark after the results are written.
 *
 * <p>Usage: {@code KafkaScaleBench [records=40000] [rate=200] [runs=3] [warmup-seconds=20]}: {@code records} is a
 * cap; the load ends 5 s after the partitions moved. Figures are the medians of the runs' (each run's in the file).
 */
public final class KafkaScaleBench {

  private static final String CLUSTER = "demo";
  private static final String TOPIC = "orders";
  private static final int PARTITIONS = 6;
  /** Bytes in per broker the policy aims at: a few KB/s, far below what the load sends each broker. */
  private static final int TARGET = 2_000;
  private static final Duration SLOW = Duration.ofMinutes(6);
  /**
   * The policy's cooldown after a decision. Not 0: with none, the autoscaler decided "3 to 4" twice a second apart
   * (the brokers' samples still counted 3) and the framework added a broker for each, a fifth that no agent could
   * place, and the rebalance waited for it.
   */
  private static final int COOLDOWN_SECONDS = 120;
  private static final int AGENTS = 4;
  /** The agents' zones (the brokers' racks): three zones, the fourth agent, where broker 4 lands, in the first. */
  private static final List<String> ZONES = List.of("z1", "z2", "z3", "z1");

  private KafkaScaleBench() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println("KafkaScaleBench [records=40000] [rate=200] [runs=3] [warmup-seconds=20]\n"
          + "  Per run: bus broker, allocator, 4 agents, kafka framework in this JVM; a 3-broker cluster under a\n"
          + "  paced acks=all producer; an AUTOMATIC bytes-in policy that adds broker 4. Results go to\n"
          + "  bench/results/kafka-scale-<timestamp>.md/.json (figures are the medians of the runs).");
      return;
    }
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 40_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int warmupSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    Instant started = Instant.now();
    Machine machine = Machine.current();
    List<List<Figure>> perRun = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    // Stopped by a signal, the runs' finally blocks do not run: end the broker JVMs (grandchildren) all the same.
    Runtime.getRuntime().addShutdownHook(new Thread(() ->
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
    for (int run = 1; run <= runs; run++) {
      Path dir = Files.createTempDirectory("kos-kafka-scale-bench-");
      try {
        Run result = run(dir, records, rate, warmupSeconds);
        perRun.add(result.figures());
        for (String failure : result.failures()) {
          failures.add("run " + run + ": " + failure);
        }
        System.out.println("run " + run + ": " + result.figures());
      } finally {
        // Agents leave their tasks running when they close: end the broker JVMs this run started.
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        deleteQuietly(dir);
      }
    }
    write(Figure.medians(perRun), records, rate, runs, warmupSeconds, started, machine, failures);
  }

  private record Run(List<Figure> figures, List<String> failures) {
  }

  private static Run run(Path dir, int records, int rate, int warmupSeconds) throws Exception {
    try (BenchBus bench = BenchBus.start(null, 2)) {
      bench.registerSchemas();
      ControlBus bus = bench.bus();
      List<BusAgent> agents = new ArrayList<>();
      // Below the ephemeral range (32768+) and above the test forks' blocks (10000-29999), as KafkaFrameworkIT's
      // agents keep away from ports other modules' tests bind.
      int nextPort = 30_000;
      try (AllocatorService allocator = AllocatorService.start(bus, AllocatorSettings.defaults(),
          "allocator-" + UUID.randomUUID(), dir.resolve("allocator"), Map.of(), Duration.ofSeconds(60))) {
        for (int i = 1; i <= AGENTS; i++) {
          int first = freeRange(nextPort, 10);
          nextPort = first + 10;
          agents.add(BusAgent.start(new AgentSettings("a" + i, "127.0.0.1", ResourceFlag.parseExact(
              "cpus:1;mem:1024;disk:4096;ports:[" + first + "-" + (first + 9) + "]"), Map.of("zone", ZONES.get(i - 1)),
              Map.of(),
              dir.resolve("a" + i), bus.settings(), Duration.ofSeconds(2), Duration.ofSeconds(10), 1000),
              Clock.systemUTC()));
        }
        KafkaFrameworkSettings settings = KafkaFrameworkSettings.defaults()
            .withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(5));
        try (KafkaFramework framework = new KafkaFramework(bus, settings, Clock.systemUTC()).start();
            ScaleDecisions decisions = new ScaleDecisions(bus)) {
          return scaleOut(dir, bus, framework, decisions, settings, records, rate, warmupSeconds);
        }
      } finally {
        for (BusAgent agent : agents) {
          agent.close();
        }
      }
    }
  }

  private static Run scaleOut(Path dir, ControlBus bus, KafkaFramework framework, ScaleDecisions decisions,
      KafkaFrameworkSettings settings, int records, int rate, int warmupSeconds) throws Exception {
    Map<String, String> env = Map.of(
        "KOS_HOME", dir.resolve("home").toString(),
        "KOS_BOOTSTRAP_SERVER", bus.settings().bootstrapServers(),
        "KOS_SCHEMA_REGISTRY", bus.settings().schemaRegistryUrl(),
        "KOS_TOPIC_PREFIX", bus.catalog().prefix(),
        "KOS_PARTITIONS", Integer.toString(bus.catalog().partitions()),
        "KOS_PRINCIPAL", "bench");
    long createStart = System.nanoTime();
    kos(env, "kafka", "create", CLUSTER, "--brokers", "3", "--cpus", "0.3", "--mem", "768", "--disk", "2048");
    await("3 healthy brokers", () -> healthy(framework) == 3);
    double createSeconds = seconds(createStart);
    System.out.printf("cluster %s: 3 brokers healthy after %.1f s%n", CLUSTER, createSeconds);
    String endpoints = framework.bootstrapServers(CLUSTER).orElseThrow();
    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints);
    try (Admin admin = Admin.create(adminProps)) {
      admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
          .configs(Map.of("min.insync.replicas", "2")))).all().get();
      List<String> failures = new ArrayList<>();
      try (PacedProducer load = new PacedProducer(endpoints, TOPIC).start(records, rate)) {
        await(warmupSeconds + " s of records acknowledged", () -> load.acked() >= (long) warmupSeconds * rate);
        Map<Integer, Long> before = replicasPerBroker(admin);
        Map<String, Long> zonesBefore = replicasPerZone(admin, before);
        long policyMs = load.elapsedMs();
        long policyNanos = System.nanoTime();
        Path policy = Files.writeString(dir.resolve("policy.json"), "{\"metric\": \"bytesInPerSec\", \"target\": "
            + TARGET + ", \"minInstances\": 3, \"maxInstances\": 4, \"mode\": \"AUTOMATIC\", "
            + "\"cooldownSeconds\": " + COOLDOWN_SECONDS + ", \"scaleUpStabilizationSeconds\": 0, "
            + "\"scaleDownStabilizationSeconds\": 3600}");
        kos(env, "kafka", "policy", CLUSTER, policy.toString());
        await("the autoscaler's decision to scale " + CLUSTER + " to 4", () -> decisions.seenAt() > 0);
        long decisionNanos = decisions.seenAt();
        await("broker 4 healthy", () -> healthy(framework) == 4);
        long healthyNanos = System.nanoTime();
        await("partitions moved onto broker 4", () -> framework.clusters().get(CLUSTER).rebalance()
            == KafkaCluster.Rebalance.NONE && replicasPerBroker(admin).getOrDefault(4, 0L) > 0);
        long movedNanos = System.nanoTime();
        long movedMs = load.elapsedMs();
        Map<Integer, Long> after = replicasPerBroker(admin);
        Map<String, Long> zonesAfter = replicasPerZone(admin, after);
        long bytesOn4 = logBytesOn(admin, 4);

        load.finishAfter(5 * rate);
        if (!load.awaitProducer(SLOW)) {
          failures.add("the producer did not finish within " + SLOW);
        }
        load.close();
        Map<Integer, List<String>> produced = load.produced();
        Map<Integer, List<String>> read = load.readBack(SLOW);
        long producedCount = produced.values().stream().mapToLong(List::size).sum();
        long readCount = read.values().stream().mapToLong(List::size).sum();
        if (!load.errors().isEmpty()) {
          failures.add(load.errors().size() + " client errors, first: " + load.errors().get(0));
        }
        if (load.acked() != load.sent() || producedCount != load.sent()) {
          failures.add("sent " + load.sent() + ", acked " + load.acked() + ", placed " + producedCount);
        }
        if (!read.equals(produced)) {
          failures.add("read back " + readCount + " records, not exactly the " + producedCount + " acked (keys, "
              + "values and order per partition)");
        }
        if (load.maxOfflinePartitions() > 0) {
          failures.add("up to " + load.maxOfflinePartitions() + " partitions had no leader");
        }
        if (after.getOrDefault(4, 0L) == 0) {
          failures.add("broker 4 holds no replicas");
        }
        List<PacedProducer.Ack> acks = load.acks();
        List<Figure> figures = List.of(
            Figure.of("create 3 brokers to healthy", createSeconds, "s"),
            Figure.of("policy set -> scale decision", (decisionNanos - policyNanos) / 1e9, "s"),
            Figure.of("decision -> broker 4 healthy", (healthyNanos - decisionNanos) / 1e9, "s"),
            Figure.of("decision -> partitions moved onto broker 4", (movedNanos - decisionNanos) / 1e9, "s"),
            Figure.of("broker 4 healthy -> partitions moved", (movedNanos - healthyNanos) / 1e9, "s"),
            Figure.of("bytes moved (log bytes on broker 4 after the move)", bytesOn4, "bytes"),
            Figure.of("ack latency before the policy, p50", latency(acks, 0, policyMs, 0.50), "ms"),
            Figure.of("ack latency before the policy, p99", latency(acks, 0, policyMs, 0.99), "ms"),
            Figure.of("ack latency during the scale-out, p50", latency(acks, policyMs, movedMs, 0.50), "ms"),
            Figure.of("ack latency during the scale-out, p99", latency(acks, policyMs, movedMs, 0.99), "ms"),
            Figure.of("replicas per broker before, max", max(before), "replicas"),
            Figure.of("replicas per broker before, min", min(before, 3), "replicas"),
            Figure.of("replicas per broker after, max", max(after), "replicas"),
            Figure.of("replicas per broker after, min", min(after, 4), "replicas"),
            Figure.of("replicas per zone before, max", max(zonesBefore), "replicas"),
            Figure.of("replicas per zone before, min", min(zonesBefore), "replicas"),
            Figure.of("replicas per zone after, max", max(zonesAfter), "replicas"),
            Figure.of("replicas per zone after, min", min(zonesAfter), "replicas"),
            Figure.of("replicas on broker 4 after", after.getOrDefault(4, 0L), "replicas"),
            Figure.of("records produced and read back", readCount, "records"),
            Figure.of("partitions ever without a leader", load.maxOfflinePartitions(), "partitions"));
        System.out.println("replicas per broker before " + before + ", after " + after + "; per zone before "
            + zonesBefore + ", after " + zonesAfter);
        return new Run(figures, failures);
      }
    }
  }

  /** Runs a `kos` command line as a user would, with the environment naming the run's bus; fails on exit != 0. */
  private static void kos(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kos.run(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    if (code != 0) {
      throw new IllegalStateException("kos " + String.join(" ", args) + " exited " + code + ": " + err + out);
    }
  }

  /** Brokers whose port answers and that the cluster's metadata lists as alive. */
  private static long healthy(KafkaFramework framework) {
    KafkaCluster cluster = framework.clusters().get(CLUSTER);
    return cluster == null ? 0 : cluster.brokers().stream().filter(Broker::runningHealthy)
        .filter(b -> framework.observation(CLUSTER).registered().contains(b.nodeId())).count();
  }

  /** Replicas of every topic's partitions per broker id. */
  private static Map<Integer, Long> replicasPerBroker(Admin admin) {
    try {
      Map<Integer, Long> counts = new TreeMap<>();
      for (TopicDescription topic : admin.describeTopics(admin.listTopics().names().get()).allTopicNames().get()
          .values()) {
        for (TopicPartitionInfo partition : topic.partitions()) {
          for (Node replica : partition.replicas()) {
            counts.merge(replica.id(), 1L, Long::sum);
          }
        }
      }
      return counts;
    } catch (Exception e) {
      throw new IllegalStateException("cannot describe the topics: " + e, e);
    }
  }

  /** Replicas per zone: the brokers' racks (broker.rack, from their agents' zones) as the cluster reports them. */
  private static Map<String, Long> replicasPerZone(Admin admin, Map<Integer, Long> perBroker) throws Exception {
    Map<String, Long> counts = new TreeMap<>();
    for (Node node : admin.describeCluster().nodes().get()) {
      counts.merge(node.hasRack() ? node.rack() : "(no rack)", perBroker.getOrDefault(node.id(), 0L), Long::sum);
    }
    return counts;
  }

  private static long logBytesOn(Admin admin, int broker) throws Exception {
    return admin.describeLogDirs(List.of(broker)).allDescriptions().get().values().stream()
        .flatMap(dirs -> dirs.values().stream()).flatMap(d -> d.replicaInfos().values().stream())
        .mapToLong(info -> info.size()).sum();
  }

  private static double max(Map<?, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static double min(Map<?, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).min().orElse(0);
  }

  /** The fewest replicas on any of brokers 1..{@code brokers} (a broker without any counts as 0). */
  private static double min(Map<Integer, Long> counts, int brokers) {
    long min = Long.MAX_VALUE;
    for (int id = 1; id <= brokers; id++) {
      min = Math.min(min, counts.getOrDefault(id, 0L));
    }
    return min;
  }

  private static double latency(List<PacedProducer.Ack> acks, long fromMs, long toMs, double fraction) {
    return Percentiles.of(acks.stream().filter(a -> a.sentAtMs() >= fromMs && a.sentAtMs() < toMs)
        .mapToLong(PacedProducer.Ack::latencyMs).toArray(), fraction);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + SLOW.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + SLOW + " waiting for " + what);
      }
      Thread.sleep(250);
    }
  }

  /** The first of {@code count} free ports in a row from {@code from} on, for an agent's port range. */
  private static int freeRange(int from, int count) {
    for (int first = from; first < 65_000; first += count) {
      boolean free = true;
      for (int port = first; port < first + count && free; port++) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return first;
      }
    }
    throw new IllegalStateException("no " + count + " free ports in a row from " + from);
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }

  private static void write(List<Figure> figures, int records, int rate, int runs, int warmupSeconds,
      Instant started, Machine machine, List<String> failures) throws IOException {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("stack", "per run: embedded bus broker, schema registry, allocator, 4 agents (cpus 1, mem 1024, "
        + "disk 4096 each; zones " + ZONES + ") and the kafka framework in one JVM; brokers are JVMs of their own");
    described.put("cluster", "3 brokers (cpus 0.3, mem 768, disk 2048), topic " + TOPIC + " with " + PARTITIONS
        + " partitions x RF 3, min.insync.replicas 2");
    described.put("load", "one idempotent acks=all producer, " + rate + " records/s of ~100 bytes, keyed over 1000 "
        + "keys; at most " + records + " records, ending 5 s after the partitions moved");
    described.put("policy", "AUTOMATIC, bytesInPerSec target " + TARGET + " per broker, 3..4 brokers, cooldown " + COOLDOWN_SECONDS + " s, set after "
        + warmupSeconds + " s of acks");
    described.put("throttle", KafkaFrameworkSettings.DEFAULT_THROTTLE + " B/s while partitions move");
    described.put("runs", runs + ", each on a fresh stack; each figure is the median of the runs'");
    List<Path> written = ResultsWriter.fromSystemProperty().write(new BenchResult("kafka-scale", started, machine,
        Versions.current(), described, figures, List.of(
            "\"policy set\" is when `kos kafka policy` returned; the decision is when it was read from "
                + "kos.scale-decisions; broker 4 healthy is when its port answers and the cluster's metadata lists it; "
                + "partitions moved is when the framework's rebalance is done and broker 4 holds replicas.",
            "Latency \"during the scale-out\" covers records sent from the policy to the partitions moved.",
            "Checked per run: every acked record read back with its key, in offset order, and nothing else; no "
                + "client error; no partition without a leader (polled every 250 ms); broker 4 holds replicas.")));
    figures.forEach(f -> System.out.println(f.name() + ": " + f.value() + " " + f.unit()));
    written.forEach(path -> System.out.println("results: " + path));
    if (!failures.isEmpty()) {
      failures.forEach(f -> System.err.println("FAILED: " + f));
      System.exit(1);
    }
  }

  /** Watches kos.scale-decisions for the first AUTOMATIC decision to scale the cluster to 4 brokers. */
  private static final class ScaleDecisions implements AutoCloseable {
    private final AtomicLong seenAt = new AtomicLong();
    private final Thread thread;
    private volatile boolean stop;

    ScaleDecisions(ControlBus bus) {
      String topic = bus.topic(Topics.SCALE_DECISIONS);
      thread = new Thread(() -> {
        Properties props = bus.consumerProperties("kafka-scale-bench-" + UUID.randomUUID(), "kafka-scale-bench");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
          List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
              .map(info -> new TopicPartition(topic, info.partition())).toList();
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
          while (!stop && seenAt.get() == 0) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
              ScaleDecision decision = bus.serde(Topics.SCALE_DECISIONS).deserialize(topic, record.value());
              if (decision.getTarget().equals(CLUSTER) && decision.getMode() == ScaleMode.AUTOMATIC
                  && decision.getTo() == 4) {
                seenAt.compareAndSet(0, System.nanoTime());
              }
            }
          }
        }
      }, "kafka-scale-bench-decisions");
      thread.setDaemon(true);
      thread.start();
    }

    /** {@link System#nanoTime()} when the decision was read, or 0 before. */
    long seenAt() {
      return seenAt.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      thread.join(10_000);
    }
  }
}
