package dev.kos.bench.placement;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicDef;
import dev.kos.bus.catalog.Topics;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.DeployApp;
import dev.kos.schema.ScaleApp;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code kos app scale ID N} to N instances RUNNING (issue 5), with the real apps framework on the
 * embedded broker, the allocator and a simulated fleet: an app is deployed with 0 instances, then one
 * ScaleApp command asks for N. Figures: command → all N RUNNING in the framework's own view, and per
 * instance command → RUNNING as the agent stamped it and as the framework announced it on kos.status.
 */
@CommandLine.Command(name = "apps-scale", mixinStandardHelpOptions = true, sortOptions = false,
    description = "From `kos app scale ID N` to N instances RUNNING, with the apps framework on simulated agents; "
        + "writes bench/results/apps-scale-<time>.{md,json}.")
public final class AppsScaleBench implements Callable<Integer> {
  private static final String APP = "/bench/web";
  private static final Set<String> RUNNING_KINDS = Set.of("INSTANCE_RUNNING", "INSTANCE_HEALTHY");

  @Option(names = "--instances", split = ",", description = "the N to scale to, one run series each "
      + "(default ${DEFAULT-VALUE})")
  List<Integer> sizes = List.of(100, 1000);
  @Option(names = "--agents", description = "simulated agents; 0 means as many as instances (default ${DEFAULT-VALUE})")
  int agents = 0;
  @Option(names = "--runs", description = "runs per N, each on a fresh broker; figures are medians "
      + "(default ${DEFAULT-VALUE})")
  int runs = 1;
  @Option(names = "--partitions", description = "partitions of each kos topic (default ${DEFAULT-VALUE})")
  int partitions = 4;
  @Option(names = "--agent-cpus", description = "cpus of each agent (default ${DEFAULT-VALUE})")
  double agentCpus = 4;
  @Option(names = "--agent-mem", description = "MiB of each agent (default ${DEFAULT-VALUE})")
  double agentMem = 8192;
  @Option(names = "--instance-cpus", description = "cpus of each instance (default ${DEFAULT-VALUE})")
  double instanceCpus = 0.125;
  @Option(names = "--instance-mem", description = "MiB of each instance (default ${DEFAULT-VALUE})")
  double instanceMem = 32;
  @Option(names = "--heartbeat-seconds", description = "simulated agents' heartbeat (default ${DEFAULT-VALUE})")
  int heartbeatSeconds = 5;
  @Option(names = "--timeout-seconds", description = "give up a run after this long (default ${DEFAULT-VALUE})")
  int timeoutSeconds = 600;
  @Option(names = "--bootstrap-server", description = "an existing Kafka cluster instead of the embedded broker")
  String bootstrap;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AppsScaleBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (sizes.stream().anyMatch(n -> n < 1) || runs < 1 || agents < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--instances and --runs must be at least 1, --agents at least 0");
    }
    Instant started = Instant.now();
    Machine machine = Machine.current();
    List<Figure> figures = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (int size : sizes) {
      List<List<Figure>> series = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        series.add(runOnce(size, run, notes));
      }
      figures.addAll(Figure.medians(series));
    }
    notes.addAll(List.of(
        "Instances run until the run ends (simulated duration 1 day).",
        "All N RUNNING: polled every few ms from the framework's own view (AppsFramework.instances()).",
        "Per instance: the RUNNING TaskStatus's timestamp (stamped by the simulated agent), and the timestamp of "
            + "the framework's INSTANCE_RUNNING event on kos.status, each minus the command's send time.",
        "Traffic and CPU are measured as in the placement benchmark (see docs/performance.md)."));
    BenchResult result = new BenchResult("apps-scale", started, machine, Versions.current(), settings(), figures,
        notes);
    List<Path> files = ResultsWriter.fromSystemProperty().write(result);
    System.out.println("wrote " + files.get(0) + " and " + files.get(1));
    return 0;
  }

  private List<Figure> runOnce(int size, int run, List<String> notes) throws Exception {
    Clock clock = Clock.systemUTC();
    int fleetSize = agents == 0 ? size : agents;
    ResourceSet agent = new ResourceSet(agentCpus, agentMem, 100_000, List.of(new PortRange(31000, 32000)));
    System.out.printf("N=%d run %d: starting the broker, the allocator, %,d simulated agents and the apps framework"
        + " ...%n", size, run, fleetSize);
    try (SimStack stack = SimStack.start(bootstrap, partitions, fleetSize, agent, Duration.ofSeconds(heartbeatSeconds));
        AppsFramework apps = new AppsFramework(stack.bus(), "*", TenantPolicy.OPEN, clock).start();
        BusPublisher commands = new BusPublisher(stack.bus(), "bench-user");
        KafkaConsumer<byte[], byte[]> reader = reader(stack.bus());
        CpuMeter cpu = new CpuMeter(SimStack.cpuGroups(List.of(
            new CpuMeter.Group("apps framework", name -> name.contains("framework-apps")))), stack.bench.brokerPid())) {
      ControlBus bus = stack.bus();
      AppSpec spec = AppSpec.newBuilder().setId(APP).setCmd("sleep 3600").setInstances(0).setCpus(instanceCpus)
          .setMem(instanceMem).build();
      send(commands, "deploy", DeployApp.newBuilder().setApp(spec).build(), clock.millis());
      Observed deployed = new Observed(bus, "deploy");
      while (deployed.result == null) {
        deployed.read(reader.poll(Duration.ofMillis(100)), 0);
      }
      if (deployed.result.getStatus() != CommandStatus.ACCEPTED) {
        throw new IllegalStateException("the apps framework rejected the deploy: " + deployed.result.getReason());
      }
      Thread.sleep(1_000);
      Map<String, TopicTraffic.Traffic> before = TopicTraffic.snapshot(stack.admin);
      cpu.start();
      long wallStart = System.nanoTime();
      long commandAt = clock.millis();
      send(commands, "scale", new ScaleApp(APP, size), commandAt);
      Observed scale = new Observed(bus, "scale");
      long allRunningAt = -1;
      long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
      while ((allRunningAt < 0 || scale.announced.count() < size) && System.nanoTime() < deadline) {
        scale.read(reader.poll(Duration.ofMillis(5)), commandAt);
        if (allRunningAt < 0 && running(apps) >= size) {
          allRunningAt = clock.millis();
        }
      }
      double wall = (System.nanoTime() - wallStart) / 1e9;
      Map<String, Double> cpuSeconds = cpu.stop();
      Map<String, TopicTraffic.Traffic> traffic = TopicTraffic.between(before, TopicTraffic.snapshot(stack.admin));
      if (allRunningAt < 0) {
        notes.add(String.format("N=%d run %d: only %d of %d instances RUNNING after %d s", size, run, running(apps),
            size, timeoutSeconds));
      }
      String n = "N=" + size + ": ";
      double seconds = (allRunningAt < 0 ? clock.millis() : allRunningAt) - commandAt;
      List<Figure> figures = new ArrayList<>();
      figures.add(Figure.of(n + "command -> all N RUNNING (framework's view)", seconds, "ms"));
      figures.add(Figure.of(n + "instances RUNNING per second", running(apps) / Math.max(0.001, seconds / 1000),
          "instances/s"));
      figures.add(Figure.of(n + "command -> accepted on kos.command-results", scale.resultMillis, "ms"));
      figures.add(Figure.of(n + "first instance, command -> RUNNING stamped by the agent",
          scale.agentStamped.percentile(0), "ms"));
      figures.add(Figure.of(n + "per instance, command -> RUNNING stamped by the agent, p50",
          scale.agentStamped.percentile(0.50), "ms"));
      figures.add(Figure.of(n + "per instance, command -> RUNNING stamped by the agent, p99",
          scale.agentStamped.percentile(0.99), "ms"));
      figures.add(Figure.of(n + "per instance, command -> INSTANCE_RUNNING on kos.status, p50",
          scale.announced.percentile(0.50), "ms"));
      figures.add(Figure.of(n + "per instance, command -> INSTANCE_RUNNING on kos.status, p99",
          scale.announced.percentile(0.99), "ms"));
      figures.add(Figure.of(n + "agents", fleetSize, "agents"));
      RunFigures.traffic(traffic, bus.catalog().prefix(), size, "instance")
          .forEach(f -> figures.add(Figure.of(n + f.name().strip(), f.value(), f.unit())));
      RunFigures.cpu(cpuSeconds, wall).forEach(f -> figures.add(Figure.of(n + f.name(), f.value(), f.unit())));
      System.out.printf("N=%d run %d:%n", size, run);
      figures.forEach(f -> System.out.printf("  %-80s %,12.1f %s%n", f.name(), f.value(), f.unit()));
      return figures;
    }
  }

  /** What the bench reads back after one command: its answer and the instances' RUNNING reports. */
  private static final class Observed {
    private final ControlBus bus;
    private final String commandId;
    final LatencyRecorder agentStamped = new LatencyRecorder();
    final LatencyRecorder announced = new LatencyRecorder();
    CommandResult result;
    long resultMillis = -1;

    Observed(ControlBus bus, String commandId) {
      this.bus = bus;
      this.commandId = commandId;
    }

    void read(Iterable<ConsumerRecord<byte[], byte[]>> records, long commandAt) {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        if (record.topic().equals(bus.topic(Topics.COMMAND_RESULTS))) {
          CommandResult answer = decode(Topics.COMMAND_RESULTS, record);
          if (answer.getCommandId().equals(commandId)) {
            result = answer;
            resultMillis = record.timestamp() - commandAt;
          }
        } else if (record.topic().equals(bus.topic(Topics.STATUS))) {
          StatusEvent event = decode(Topics.STATUS, record);
          if (event.getTarget().equals(APP) && RUNNING_KINDS.contains(event.getKind())) {
            announced.record(event.getTimestamp().toEpochMilli() - commandAt);
          }
        } else {
          TaskStatus status = decode(Topics.TASK_STATUS, record);
          if (AppsFramework.FRAMEWORK_ID.equals(status.getFrameworkId()) && status.getState() == TaskState.RUNNING) {
            agentStamped.record(status.getTimestamp().toEpochMilli() - commandAt);
          }
        }
      }
    }

    private <V extends SpecificRecord> V decode(TopicDef<V> topic,
        ConsumerRecord<byte[], byte[]> record) {
      return bus.serde(topic).deserialize(record.topic(), record.value());
    }
  }

  /** Reads answers, status events and task statuses from the start of the run's fresh topics. */
  private static KafkaConsumer<byte[], byte[]> reader(ControlBus bus) {
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(bus.consumerProperties(null, "bench-reader"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.assign(Stream.of(Topics.COMMAND_RESULTS, Topics.STATUS, Topics.TASK_STATUS)
        .flatMap(topic -> IntStream.range(0, bus.catalog().partitionsOf(topic))
            .mapToObj(partition -> new TopicPartition(bus.topic(topic), partition)))
        .toList());
    return consumer;
  }

  private static void send(BusPublisher commands, String commandId, Object payload, long at) throws Exception {
    commands.publish(Topics.COMMANDS, APP, Command.newBuilder().setCommandId(commandId).setPrincipal("bench")
        .setTimestamp(Instant.ofEpochMilli(at)).setPayload(payload).build()).get();
  }

  private static long running(AppsFramework apps) {
    return apps.instances().stream().filter(i -> i.state() == InstanceState.RUNNING).count();
  }

  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("instances (N)", sizes);
    settings.put("agents", agents == 0 ? "as many as instances" : agents);
    settings.put("runs per N", runs);
    settings.put("partitions per kos topic", partitions);
    settings.put("agent resources", agentCpus + " cpus, " + agentMem + " MiB");
    settings.put("instance resources", instanceCpus + " cpus, " + instanceMem + " MiB");
    settings.put("heartbeat (s)", heartbeatSeconds);
    settings.put("allocator", "exactly_once_v2, commit interval 100 ms, round 50 ms, agent timeout "
        + SimStack.AGENT_TIMEOUT.toSeconds() + " s");
    settings.put("broker", bootstrap == null ? "embedded (forked JVM)" : bootstrap);
    return settings;
  }
}
