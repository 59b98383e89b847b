package dev.kos.bench.agent;

import static dev.kos.agent.image.OciLayoutWriter.Entry.dir;
import static dev.kos.agent.image.OciLayoutWriter.Entry.file;
import static dev.kos.agent.image.OciLayoutWriter.Entry.symlink;

import dev.kos.agent.bus.AgentSettings;
import dev.kos.agent.bus.BusAgent;
import dev.kos.agent.image.OciLayoutWriter;
import dev.kos.agent.model.ResourceSet;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.files.Directories;
import dev.kos.bus.serde.AvroSerde;
import dev.kos.model.ContainerSpec;
import dev.kos.model.PortRange;
import dev.kos.schema.CommandInfo;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.KillTask;
import dev.kos.schema.LaunchTask;
import dev.kos.schema.PlacementEvent;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskInfo;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Placement → RUNNING for a container task against a process task on the same real agent (runc, as root), on the
 * embedded broker. Each run starts a fresh agent (an empty image cache), launches one container task first (cold:
 * the image is verified and unpacked), then {@code launches} process tasks and {@code launches} container tasks
 * (warm) interleaved, one at a time; each task is killed once RUNNING and its end awaited, so every launch finds the
 * agent idle. The figure per launch is placement created (the record's timestamp) → RUNNING stamped by the agent.
 * A run counts only if every launch reached RUNNING and ended KILLED. The image is busybox-static packed as an OCI
 * layout by the benchmark (Debian's busybox-static and runc must be installed; the benchmark says so if not).
 *
 * <p>Usage: {@code ContainerLaunchBench [launches=30] [runs=3]}
 */
public final class ContainerLaunchBench {

  private static final String AGENT = "bench-agent";
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Path BUSYBOX = Path.of("/bin/busybox");

  private ContainerLaunchBench() {
  }

  public static void main(String[] args) throws Exception {
    int launches = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    if (!Files.isExecutable(BUSYBOX)) {
      throw new IllegalStateException("the benchmark's image is busybox-static: apt-get install -y runc busybox-static");
    }
    Instant started = Instant.now();
    Machine machine = Machine.current();
    Path work = Files.createTempDirectory("kos-bench-containers");
    List<List<Figure>> perRun = new ArrayList<>();
    try (BenchBus bench = BenchBus.start(null, 4)) {
      String image = image(work.resolve("image"));
      for (int run = 1; run <= runs; run++) {
        perRun.add(runOnce(bench, image, work.resolve("agent-" + run), launches, run));
      }
    } finally {
      Directories.deleteTreeQuietly(work);
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("launches", launches + " process and " + launches + " container tasks per run, interleaved, one at a "
        + "time, after one cold container launch");
    settings.put("runs", runs + ", each with a fresh agent and an empty image cache");
    settings.put("tasks", "process: sh -c 'exec sleep 60'; container: busybox-static's sleep 60 under runc; "
        + "0.1 cpus, 32 MiB; killed once RUNNING");
    List<Path> written = ResultsWriter.fromSystemProperty().write(new BenchResult("container-launch", started, machine,
        Versions.current(), settings, Figure.medians(perRun), List.of(
            "Placement created (the LaunchTask record's timestamp) -> RUNNING as the agent stamps it.",
            "Cold: the first container launch of a run, with an empty image cache (verify and unpack included).")));
    written.forEach(path -> System.out.println("results: " + path));
  }

  private static List<Figure> runOnce(BenchBus bench, String image, Path workDir, int launches, int run)
      throws Exception {
    try (BusPublisher publisher = new BusPublisher(bench.bus, "bench-placements");
        KafkaConsumer<byte[], byte[]> statuses = new KafkaConsumer<>(bench.bus.consumerProperties(null,
            "bench-statuses-" + run), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        BusAgent agent = BusAgent.start(new AgentSettings(AGENT, "localhost",
            new ResourceSet(4, 4096, 1000, List.of(new PortRange(31000, 31010))), Map.of(), Map.of(), workDir,
            bench.settings(), AgentSettings.DEFAULT_HEARTBEAT, AgentSettings.DEFAULT_METRICS_INTERVAL,
            AgentSettings.DEFAULT_LOG_BUFFER_CAPACITY), Clock.systemUTC())) {
      String topic = bench.bus.topic(Topics.TASK_STATUS);
      List<TopicPartition> partitions = statuses.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      statuses.assign(partitions);
      statuses.seekToEnd(partitions);
      partitions.forEach(statuses::position);
      AvroSerde<TaskStatus> serde = bench.bus.serde(Topics.TASK_STATUS);
      Launcher launcher = new Launcher(publisher, statuses, serde, topic, run);
      long cold = launcher.launch(true, image);
      long[] processes = new long[launches];
      long[] containers = new long[launches];
      for (int i = 0; i < launches; i++) {
        processes[i] = launcher.launch(false, image);
        containers[i] = launcher.launch(true, image);
      }
      Arrays.sort(processes);
      Arrays.sort(containers);
      System.out.printf("run %d: container cold %d ms; warm p50 %d / p99 %d ms; process p50 %d / p99 %d ms%n", run,
          cold, containers[percentile(launches, 0.5)], containers[percentile(launches, 0.99)],
          processes[percentile(launches, 0.5)], processes[percentile(launches, 0.99)]);
      return List.of(
          Figure.of("container, cold image cache: placement -> RUNNING", cold, "ms"),
          Figure.of("container, warm: placement -> RUNNING, p50", containers[percentile(launches, 0.5)], "ms"),
          Figure.of("container, warm: placement -> RUNNING, p99", containers[percentile(launches, 0.99)], "ms"),
          Figure.of("process: placement -> RUNNING, p50", processes[percentile(launches, 0.5)], "ms"),
          Figure.of("process: placement -> RUNNING, p99", processes[percentile(launches, 0.99)], "ms"));
    }
  }

  /** Launches one task at a time, times it to RUNNING, kills it and waits for its end. */
  private static final class Launcher {
    private final BusPublisher publisher;
    private final KafkaConsumer<byte[], byte[]> statuses;
    private final AvroSerde<TaskStatus> serde;
    private final String topic;
    private final int run;
    private int next;

    Launcher(BusPublisher publisher, KafkaConsumer<byte[], byte[]> statuses, AvroSerde<TaskStatus> serde,
        String topic, int run) {
      this.publisher = publisher;
      this.statuses = statuses;
      this.serde = serde;
      this.topic = topic;
      this.run = run;
    }

    long launch(boolean container, String image) throws Exception {
      String taskId = "bench-" + run + "-" + (container ? "c" : "p") + "-" + next++;
      long created = publisher.publish(Topics.PLACEMENTS, AGENT, launchOf(taskId, container, image)).get()
          .timestamp();
      TaskStatus running = await(taskId, Set.of(TaskState.RUNNING));
      publisher.publish(Topics.PLACEMENTS, AGENT, new PlacementEvent(KillTask.newBuilder().setAgentId(AGENT)
          .setFrameworkId("bench").setTaskId(taskId).setGracePeriodMs(2_000).build())).get();
      await(taskId, Set.of(TaskState.KILLED));
      return running.getTimestamp().toEpochMilli() - created;
    }

    /** The task's first status in {@code wanted}; any other end is the benchmark not doing its work. */
    private TaskStatus await(String taskId, Set<TaskState> wanted) {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : statuses.poll(Duration.ofMillis(5))) {
          TaskStatus status = serde.deserialize(topic, record.value());
          if (!status.getTaskId().equals(taskId)) {
            continue;
          }
          if (wanted.contains(status.getState())) {
            return status;
          }
          if (status.getState() != TaskState.STARTING && status.getState() != TaskState.RUNNING) {
            throw new IllegalStateException("task " + taskId + " ended " + status.getState() + ", not "
                + wanted + ": " + status.getMessage());
          }
        }
      }
      throw new IllegalStateException("task " + taskId + " did not reach " + wanted + " within " + DEADLINE);
    }
  }

  private static PlacementEvent launchOf(String taskId, boolean container, String image) {
    TaskInfo.Builder task = TaskInfo.newBuilder().setTaskId(taskId).setName(taskId).setFrameworkId("bench")
        .setResources(Resources.newBuilder().setCpus(0.1).setMem(32).build());
    if (container) {
      task.setCommand(CommandInfo.newBuilder().build()).setContainer(ContainerInfo.newBuilder().setImage(image)
          .setEntrypoint(List.of("/bin/sleep", "60")).build());
    } else {
      task.setCommand(CommandInfo.newBuilder().setShell("exec sleep 60").build());
    }
    return new PlacementEvent(LaunchTask.newBuilder().setAgentId(AGENT).setFrameworkId("bench")
        .setOfferId("offer-" + taskId).setTask(task.build()).build());
  }

  /** busybox-static with its sleep, as an OCI layout. */
  private static String image(Path dir) throws Exception {
    OciLayoutWriter layout = OciLayoutWriter.layout(dir);
    layout.add("1", List.of("/bin/sleep", "60"), List.of(List.of(dir("bin/"),
        file("bin/busybox", Files.readAllBytes(BUSYBOX), 0755), symlink("bin/sleep", "busybox"))));
    String reference = "oci:" + layout.path() + ":1";
    ContainerSpec.of(reference); // the reference an agent reads: refused here, not in every launch, if it is not one
    return reference;
  }

  private static int percentile(int count, double p) {
    return Math.min(count - 1, (int) Math.ceil(p * count) - 1);
  }
}
