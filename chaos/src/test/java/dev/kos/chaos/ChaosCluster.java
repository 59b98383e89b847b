package dev.kos.chaos;

import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.testing.ForkPortBlock;
import dev.kos.bus.testing.TestBus;
import dev.kos.chaos.history.History;
import dev.kos.chaos.history.History.Injection;
import dev.kos.chaos.history.History.LiveTask;
import dev.kos.chaos.history.History.ProcessSample;
import dev.kos.chaos.history.HistoryReader;
import dev.kos.chaos.history.ProcessSampler;
import dev.kos.cli.KosProcess;
import dev.kos.bus.client.Answerer;
import dev.kos.bus.client.CommandOutcome;
import dev.kos.bus.client.CommandSender;
import dev.kos.bus.client.Commands;
import dev.kos.schema.AppSpec;
import dev.kos.schema.CommandResult;
import dev.kos.schema.DeployApp;
import dev.kos.schema.DrainAgent;
import dev.kos.schema.RemoveApp;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.UndrainAgent;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * A kos of real processes for one chaos case: its own bus (prefix and registry) on the test broker,
 * `kos allocator`, `kos agent`s and `kos framework apps` each a JVM of its own, with short timeouts
 * (agents heartbeat every second; the allocator's --agent-timeout is the case's). While it runs, a
 * sampler records the task processes in /proc every {@value #SAMPLE_MS} ms. Closing kills every
 * process it started and every task left, so a failed case leaves nothing on the machine.
 */
final class ChaosCluster implements AutoCloseable {

  /** Short, for cases where an agent is to be lost; JVM start-up alone takes up to ~7 s on a busy 2-core host. */
  static final String SHORT_AGENT_TIMEOUT = "5s";
  /** Longer than an agent's kill, 2 s pause and JVM start-up, for cases where it must not be lost. */
  static final String AGENT_TIMEOUT = "15s";
  /**
   * The agents' --task-lease under {@link #SHORT_AGENT_TIMEOUT}: a frozen or killed agent's tasks are
   * gone (lease, plus up to 2 s for the lease file's 1 s resolution and the watchdog's tick) before
   * the allocator declares the agent lost and the framework relaunches them.
   */
  static final String SHORT_TASK_LEASE = "2s";
  /** The agents' --task-lease under {@link #AGENT_TIMEOUT}: longer than a restart 2 s after a kill. */
  static final String TASK_LEASE = "10s";
  static final String CANARY_APP = "/chaos/canary";
  /** The role of the first allocator instance. */
  static final String ALLOCATOR = "allocator";
  static final int SAMPLE_MS = 200;
  /**
   * How long a kos process may take to say it is up: an allocator against three brokers needed more than a minute
   * (its internal topics, 3 replicas each, and its first rebalance) with the host's load at 40, and one more than two
   * minutes in a CI run where a four-broker Kafka cluster's case ran beside it.
   */
  static final Duration START_PATIENCE = Duration.ofSeconds(240);
  /** Short, so a killed allocator's shards move to its successor quickly. */
  private static final String SESSION_TIMEOUT = "consumer.session.timeout.ms=6000";

  private final TestBus bus;
  private final Path dir;
  private final String applicationId;
  /**
   * This fork's ports ({@link ForkPortBlock}), below the ephemeral range, where an outgoing connection could hold a port
   * an agent offers, and apart from every other fork's, the system tests' beside it included. Each cluster of a fork
   * takes the next 100 of its block, so a process a killed cluster left behind for a moment holds none of the next one's.
   */
  private static final ForkPortBlock PORTS = ForkPortBlock.current();
  private static final AtomicInteger CLUSTERS = new AtomicInteger();

  private final int firstPort = nextPortSlice();

  /** The next 100 ports of this fork's block, for a cluster or a case that starts agents of its own. */
  static int nextPortSlice() {
    return PORTS.port(CLUSTERS.getAndIncrement() % (PORTS.size() / 100) * 100);
  }
  private final Map<String, Process> processes = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Integer> restarts = new HashMap<>();
  private final ProcessSampler sampler;
  private final List<ProcessSample> samples = Collections.synchronizedList(new ArrayList<>());
  private final List<Injection> injections = Collections.synchronizedList(new ArrayList<>());
  private final Thread sampling;
  private final BusPublisher rawPublisher;
  private final String agentTimeout;
  private final String taskLease;
  private volatile boolean sampled = true;
  private final List<String> allocatorStreamsConfig = Collections.synchronizedList(new ArrayList<>());

  ChaosCluster(String bootstrap, Path dir) {
    this(bootstrap, dir, AGENT_TIMEOUT, TASK_LEASE);
  }

  /** With the allocator's --agent-timeout and the agents' --task-lease, which must be below it. */
  ChaosCluster(String bootstrap, Path dir, String agentTimeout, String taskLease) {
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.agentTimeout = agentTimeout;
    this.taskLease = taskLease;
    this.bus = TestBus.start(bootstrap, 2);
    this.dir = dir;
    this.applicationId = "chaos-" + bus.bus().catalog().prefix().replace(".", "");
    this.sampler = new ProcessSampler(dir);
    this.rawPublisher = new BusPublisher(bus.bus(), "chaos-injector");
    this.sampling = new Thread(this::sampleUntilClosed, "chaos-sampler");
    sampling.setDaemon(true);
    sampling.start();
  }

  TestBus bus() {
    return bus;
  }

  Path dir() {
    return dir;
  }

  /** The allocator's Kafka Streams application id: its consumer group, and the prefix of its transactional ids. */
  String applicationId() {
    return applicationId;
  }

  /**
   * Starts the allocator, agents {@code a1..aN} and the apps framework side by side, and deploys the canary app.
   * If that fails, closes this cluster (every process it started, the bus) before it throws: a case that writes
   * {@code try (var kos = new ChaosCluster(...).startAll(n))} never gets the cluster to close, and its processes
   * would outlive the test, loading the machine for the cases after it.
   */
  ChaosCluster startAll(int agents) throws Exception {
    return startAll(agents, List.of(ALLOCATOR));
  }

  /** As above, with one allocator instance per role named (they share the application id, so the shards). */
  ChaosCluster startAll(int agents, List<String> allocators) throws Exception {
    try {
      return startAllOrThrow(agents, allocators);
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private ChaosCluster startAllOrThrow(int agents, List<String> allocators) throws Exception {
    List<CompletableFuture<Process>> starting = new ArrayList<>();
    for (String allocator : allocators) {
      starting.add(CompletableFuture.supplyAsync(() -> unchecked(() -> startAllocator(allocator))));
    }
    for (int i = 1; i <= agents; i++) {
      String id = "a" + i;
      starting.add(CompletableFuture.supplyAsync(() -> unchecked(() -> startAgent(id))));
    }
    starting.add(CompletableFuture.supplyAsync(() -> unchecked(this::startApps)));
    CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(150, TimeUnit.SECONDS);
    command(new DeployApp(app(CANARY_APP, 0, 0.01)), Duration.ofSeconds(60)).orElseThrow(
        () -> new AssertionError("the canary app was not deployed; apps log:\n" + log("apps")));
    return this;
  }

  Process startAllocator() throws IOException {
    return startAllocator(ALLOCATOR);
  }

  /**
   * An allocator instance under a role of its own ({@value #ALLOCATOR}, allocator-2, ...) with its own state dir.
   * Every instance has the cluster's application id, so they share the shards between them; the role is the
   * instance's Streams client.id, so the group's members say which instance owns which shard.
   */
  Process startAllocator(String role) throws IOException {
    List<String> args = new ArrayList<>(List.of("allocator", "--application-id", applicationId,
        "--state-dir", dir.resolve(role + "-state").toString(), "--agent-timeout", agentTimeout,
        "--offer-timeout", "10s", "--streams-config", SESSION_TIMEOUT, "--streams-config", "client.id=" + role));
    synchronized (allocatorStreamsConfig) {
      allocatorStreamsConfig.forEach(setting -> args.addAll(List.of("--streams-config", setting)));
    }
    args.addAll(KosProcess.busOptions(bus));
    return start(role, "running against", args);
  }

  /** Further Kafka Streams settings (KEY=VALUE) for every allocator instance started from now on. */
  ChaosCluster withAllocatorStreamsConfig(String... settings) {
    allocatorStreamsConfig.addAll(List.of(settings));
    return this;
  }

  /**
   * Runs {@code trigger} and, as soon as a LaunchTask appears on kos.placements read uncommitted (that is while the
   * transaction that wrote it is still open; kos.placements is watched with 5 ms fetches), freezes (SIGSTOP) the
   * role {@code writerOf} names for the launch's agent. Returns that launch.
   */
  dev.kos.schema.LaunchTask freezeOnUncommittedLaunch(java.util.function.Function<String, String> writerOf,
      Runnable trigger, Duration timeout) throws Exception {
    String placements = bus.bus().topic(dev.kos.bus.catalog.Topics.PLACEMENTS);
    var props = bus.bus().consumerProperties(null, "chaos-freeze-on-launch");
    props.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(placements).stream()
          .map(p -> new TopicPartition(placements, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      trigger.run();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(5))) {
          if (record.value() != null && bus.bus().serde(dev.kos.bus.catalog.Topics.PLACEMENTS)
              .deserialize(placements, record.value()).getPayload() instanceof dev.kos.schema.LaunchTask launch) {
            freeze(writerOf.apply(launch.getAgentId()));
            return launch;
          }
        }
      }
    }
    throw new AssertionError("no launch on kos.placements within " + timeout);
  }

  /**
   * The allocator's shards (kos.agents partitions) each instance owns now, by role, as the allocator's consumer
   * group assigned them; an instance that is not (or no longer) a member is absent.
   */
  Map<String, Set<Integer>> allocatorShards() throws Exception {
    String agents = bus.bus().topic(dev.kos.bus.catalog.Topics.AGENTS);
    Map<String, Set<Integer>> owned = new java.util.TreeMap<>();
    try (Admin admin = Admin.create(bus.bus().settings().clientProperties())) {
      var group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
          .get(30, TimeUnit.SECONDS);
      for (var member : group.members()) {
        // A Streams thread's consumer is "<client.id>-StreamThread-<n>-consumer".
        String role = member.clientId().replaceFirst("-StreamThread-.*$", "");
        Set<Integer> shards = owned.computeIfAbsent(role, r -> new java.util.TreeSet<>());
        member.assignment().topicPartitions().stream().filter(p -> p.topic().equals(agents))
            .forEach(p -> shards.add(p.partition()));
      }
    }
    return owned;
  }

  /** Waits up to {@code max} for the allocator shards' owners to satisfy {@code wanted}; returns the last seen. */
  Map<String, Set<Integer>> awaitAllocatorShards(java.util.function.Predicate<Map<String, Set<Integer>>> wanted,
      Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    Map<String, Set<Integer>> shards = allocatorShards();
    while (!wanted.test(shards) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      shards = allocatorShards();
    }
    return shards;
  }

  /** The allocator shard (kos.agents partition) an agent's records go to. */
  int shardOf(String agentId) {
    return dev.kos.bus.catalog.KeyPartitioner.partitionOf(agentId,
        bus.bus().catalog().partitionsOf(dev.kos.bus.catalog.Topics.AGENTS));
  }

  /** SIGTERM, and wait until the process has stopped (an allocator closes its Streams client first). */
  void stop(String role) throws InterruptedException {
    Process process = processes.get(role);
    process.destroy();
    if (!process.waitFor(45, TimeUnit.SECONDS)) {
      throw new AssertionError(role + " did not stop within 45 s of SIGTERM");
    }
  }

  Process startAgent(String id) throws IOException {
    int index = Integer.parseInt(id.substring(1));
    int ports = firstPort + index * 10;
    List<String> args = new ArrayList<>(List.of("agent", "--id", id, "--work-dir", agentWorkDir(id).toString(), "--resources", "cpus:2;mem:2048;disk:1000;ports:[" + ports + "-" + (ports + 9) + "]",
        "--heartbeat", "1s", "--metrics-interval", "30s", "--task-lease", taskLease));
    args.addAll(KosProcess.busOptions(bus));
    return start(id, "is up on", args);
  }

  /** Agent {@code id}'s --work-dir (its checkpoints, sandboxes and lease file). */
  Path agentWorkDir(String id) {
    return dir.resolve("agents").resolve(id);
  }

  Process startApps() throws IOException {
    return startApps("apps");
  }

  /** Starts `kos framework apps` under a role name of its own ("apps-2" for a second instance beside "apps"). */
  Process startApps(String role) throws IOException {
    List<String> args = new ArrayList<>(List.of("framework", "apps"));
    args.addAll(KosProcess.busOptions(bus));
    return start(role, "framework apps running", args);
  }

  /** Starts a process under a role name (allocator, a1, apps); a restart gets a log of its own. */
  private Process start(String role, String ready, List<String> args) throws IOException {
    int run;
    synchronized (restarts) {
      run = restarts.merge(role, 1, Integer::sum);
    }
    Process process = KosProcess.start(dir, role + "-" + run, ready, args, START_PATIENCE);
    processes.put(role, process);
    return process;
  }

  Process process(String role) {
    return processes.get(role);
  }

  String log(String role) {
    int run;
    synchronized (restarts) {
      run = restarts.getOrDefault(role, 1);
    }
    return KosProcess.output(dir, role + "-" + run);
  }

  /** kill -9, and wait until it is gone. */
  void kill9(String role) throws InterruptedException {
    Process process = processes.get(role);
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(role + " survived kill -9");
    }
  }

  void freeze(String role) throws Exception {
    signal("STOP", processes.get(role).pid());
  }

  void resume(String role) throws Exception {
    signal("CONT", processes.get(role).pid());
  }

  /** Sends {@code kill -SIGNAL pid}: also for processes the cluster did not start, such as a broker. */
  static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + signal + " " + pid + " failed");
    }
  }

  /**
   * An app of {@code sleep 600}s with 32 MiB each: the agent's memory watchdog counts the task's whole process tree,
   * its wrapper and the wrapper's lease watchdog included (about 8 MiB together), and 8 MiB tasks were killed for it
   * and replaced over and over (245 launches for a 50-task burst).
   */
  static AppSpec app(String id, int instances, double cpus) {
    return AppSpec.newBuilder().setId(id).setCmd("sleep 600").setInstances(instances).setCpus(cpus).setMem(32)
        .build();
  }

  /** Sends a command and waits for its answer. */
  Optional<CommandResult> command(Object payload, Duration timeout) {
    Answerer answerer = payload instanceof UndrainAgent || payload instanceof DrainAgent
        ? Answerer.ALLOCATOR : Answerer.APPS_FRAMEWORK;
    CommandOutcome outcome = CommandSender.send(bus.bus(), Commands.of("chaos", "*", payload, Clock.systemUTC()),
        timeout, true, answerer);
    return outcome instanceof CommandOutcome.Answered answered ? Optional.of(answered.result()) : Optional.empty();
  }

  /**
   * Sends a command and kills {@code role} with -9 as soon as its answer is committed: the results
   * partition is watched with 5 ms fetches, so the kill lands within a few ms of the answer's
   * commit (the answer's own timestamp says how close). Returns the answer.
   */
  KilledOnAnswer commandThenKill(Object payload, String role, Duration timeout) throws Exception {
    dev.kos.schema.Command command = Commands.of("chaos", "*", payload, Clock.systemUTC());
    String results = bus.bus().topic(dev.kos.bus.catalog.Topics.COMMAND_RESULTS);
    var props = bus.bus().consumerProperties(null, "chaos-kill-on-answer");
    props.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      int partitions = consumer.partitionsFor(results).size();
      TopicPartition partition = new TopicPartition(results,
          dev.kos.bus.catalog.KeyPartitioner.partitionOf(command.getCommandId(), partitions));
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition);
      rawPublisher.publish(dev.kos.bus.catalog.Topics.COMMANDS, dev.kos.bus.catalog.CommandTargets.targetOf(command),
          command).get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        for (var record : consumer.poll(Duration.ofMillis(5))) {
          if (command.getCommandId().equals(record.key()) && record.value() != null) {
            processes.get(role).destroyForcibly();
            long killedAt = System.currentTimeMillis();
            kill9(role);
            return new KilledOnAnswer(bus.bus().serde(dev.kos.bus.catalog.Topics.COMMAND_RESULTS)
                .deserialize(results, record.value()), killedAt);
          }
        }
      }
    }
    throw new AssertionError("no answer to " + payload + " within " + timeout);
  }

  /** The answer a process was killed on, and when the SIGKILL went out. */
  record KilledOnAnswer(CommandResult result, long killedAt) {
  }

  /**
   * The canary: one command the apps framework answers (a no-op scale of the canary app) and one the
   * allocator answers (undrain a1). Returns when both were answered, or empty if either was not
   * within {@code timeout}.
   */
  OptionalLong canary(Duration timeout) {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    if (command(new ScaleApp(CANARY_APP, 0), timeout).isEmpty()) {
      return OptionalLong.empty();
    }
    Duration left = Duration.ofMillis(Math.max(1, deadline - System.currentTimeMillis()));
    if (command(new UndrainAgent("a1"), left).isEmpty()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(System.currentTimeMillis());
  }

  /** Publishes a record as it is (any bytes, or null) and remembers where it landed, for check G. */
  Injection inject(TopicDef<?> topic, String key, byte[] value, String kind) throws Exception {
    RecordMetadata at = rawPublisher.publishRaw(bus.bus().topic(topic), key, value).get(30, TimeUnit.SECONDS);
    Injection injection = new Injection(at.topic(), at.partition(), at.offset(), key, kind);
    injections.add(injection);
    return injection;
  }

  /**
   * Publishes a valid record, or a copy of one read back raw: not bad input, so it is not an injection of check G.
   */
  RecordMetadata publishRaw(TopicDef<?> topic, String key, byte[] value) throws Exception {
    return rawPublisher.publishRaw(bus.bus().topic(topic), key, value).get(30, TimeUnit.SECONDS);
  }

  /** Serializes a record with the topic's schema, as a producer of it would. */
  <V extends org.apache.avro.specific.SpecificRecord> byte[] serialize(TopicDef<V> topic, V value) {
    return bus.bus().serde(topic).serialize(bus.bus().topic(topic), value);
  }

  /** Every committed record of a topic so far, raw, in offset order per partition. */
  List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> committed(TopicDef<?> topic) {
    String name = bus.bus().topic(topic);
    var props = bus.bus().consumerProperties(null, "chaos-raw-" + java.util.UUID.randomUUID());
    props.put(org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(name, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(name, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  List<ProcessSample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  ProcessSample sampleNow() {
    return sampler.sample();
  }

  /**
   * Waits until the case has settled: every app has as many live instances on kos.apps as it
   * wants, and the live processes, kos.tasks and kos.apps name the same tasks. Returns the history
   * with the sample taken then as its quiescent one; if it never settles within {@code max}, the
   * last attempt's history (whose check D then fails with the difference).
   */
  History awaitQuiescence(Map<String, Integer> wanted, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    History last;
    do {
      ProcessSample sample = sampler.sample();
      last = reader().read(History.empty()).withQuiescent(sample);
      if (settled(last, wanted)) {
        return last;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    return last;
  }

  private static boolean settled(History history, Map<String, Integer> wanted) {
    Set<String> processes = history.quiescent().orElseThrow().live().stream().map(LiveTask::taskId)
        .collect(Collectors.toSet());
    Set<String> tasks = history.tasks().entrySet().stream().filter(e -> !History.TERMINAL.contains(e.getValue()))
        .map(Map.Entry::getKey).collect(Collectors.toSet());
    Set<String> instances = history.instances().stream().filter(History.AppInstance::live)
        .map(History.AppInstance::taskId).collect(Collectors.toSet());
    boolean counts = wanted.entrySet().stream().allMatch(w -> history.instances().stream()
        .filter(i -> i.appId().equals(w.getKey()) && "RUNNING".equals(i.state())).count() == w.getValue());
    return counts && processes.equals(tasks) && tasks.equals(instances);
  }

  /**
   * Removes the apps, gives their kills up to {@code max} to land, and samples what is left:
   * the teardown sample of check H.
   */
  ProcessSample teardown(List<String> apps, Duration max) throws InterruptedException {
    for (String app : apps) {
      command(new RemoveApp(app), Duration.ofSeconds(20));
    }
    long deadline = System.nanoTime() + max.toNanos();
    ProcessSample sample = sampler.sample();
    while (!sample.live().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(250);
      sample = sampler.sample();
    }
    return sample;
  }

  /**
   * Each consumer group's lag on this bus's topics against their last stable offsets, waiting up
   * to {@code max} for it to reach zero.
   */
  Map<String, Long> awaitNoLag(Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    // What each consumer must reach: the topics' ends now. Agents heartbeat every second, so "no lag at one instant"
    // is a race against the next heartbeat (a commit taking a second on a bus of three losing a broker always lost
    // it); a consumer that catches up with everything there was when asked has no lag, and a wedged one never does.
    Map<String, Long> targets = new HashMap<>();
    Map<String, Long> lag = lag(targets);
    while (lag.values().stream().anyMatch(l -> l > 0) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      lag = lag(targets);
    }
    return lag;
  }

  /**
   * Each group's records still to read on this bus's topics, up to {@code targets} (group and partition to end
   * offset); a partition not yet in {@code targets} gets its current last stable offset there.
   */
  private Map<String, Long> lag(Map<String, Long> targets) throws Exception {
    String prefix = bus.bus().catalog().prefix();
    Map<String, Long> lag = new LinkedHashMap<>();
    try (Admin admin = Admin.create(bus.bus().settings().clientProperties())) {
      for (ConsumerGroupListing group : admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS)) {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
            .filter(e -> e.getKey().topic().startsWith(prefix) && e.getValue() != null)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (committed.isEmpty()) {
          continue;
        }
        var ends = admin.listOffsets(committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())),
            new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
        committed.forEach((partition, offset) -> {
          String key = group.groupId() + " " + partition;
          long target = targets.computeIfAbsent(key, k -> ends.get(partition).offset());
          lag.put(key, recordsBetween(partition, offset.offset(), target));
        });
      }
    }
    return lag;
  }

  /**
   * The committed records from {@code from} to {@code to}. Offsets alone overstate lag on a
   * transactional topic: a consumer that commits after its last record points at the commit marker,
   * which no reader ever receives.
   */
  private long recordsBetween(TopicPartition partition, long from, long to) {
    if (from >= to) {
      return 0;
    }
    var props = bus.bus().consumerProperties(null, "chaos-lag");
    try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props,
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, from);
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (consumer.position(partition) < to && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).records(partition).stream().filter(r -> r.offset() < to).count();
      }
      return count;
    }
  }

  HistoryReader reader() {
    return new HistoryReader(bus.bus(), injections());
  }

  List<Injection> injections() {
    synchronized (injections) {
      return List.copyOf(injections);
    }
  }

  /**
   * The whole history: the records read now, every sample taken, the case's injections, and the
   * views of kos.tasks and kos.apps as they were at quiescence (read again now, they would show the
   * teardown).
   */
  History history(History settled) {
    return reader().read(settled).withTasks(settled.tasks()).withInstances(settled.instances())
        .withSamples(samples()).withInjections(injections());
  }

  private void sampleUntilClosed() {
    while (sampled) {
      try {
        samples.add(sampler.sample());
        Thread.sleep(SAMPLE_MS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // One sample lost to a process ending mid-read; the next one counts.
      }
    }
  }

  @Override
  public void close() {
    sampled = false;
    sampling.interrupt();
    synchronized (processes) {
      processes.values().forEach(Process::destroyForcibly);
    }
    int killed = sampler.killAll();
    if (killed > 0) {
      System.out.println("chaos: killed " + killed + " task processes left behind");
    }
    rawPublisher.close();
    bus.close();
  }

  private interface Starter {
    Process start() throws IOException;
  }

  private static Process unchecked(Starter starter) {
    try {
      return starter.start();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
