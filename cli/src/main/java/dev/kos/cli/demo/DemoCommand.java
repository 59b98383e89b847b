package dev.kos.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kos.agent.model.ResourceSet;
import dev.kos.analytics.store.SchemaSettings;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.files.Directories;
import dev.kos.cli.common.KosContext;
import dev.kos.cli.common.LocalStack;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.bus.metrics.MetricsServer;
import dev.kos.cli.common.UntilStopped;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ch.qos.logback.classic.Level;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kos demo}: the whole story on this machine in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Start kos on this machine (a Kafka broker, the registry, the allocator,",
        "3 agents, the apps and jobs frameworks, a Cassandra node) and tell its",
        "story: deploy a web service, send it traffic through `kos lb`, watch its logs flow through",
        "Kafka, scale it by a command and by the autoscaler, submit the Spark rollup to",
        "kos while the cluster is busy (it waits, then runs its executors as kos tasks),",
        "query the rollups in Cassandra, restart a stateful service with its data. Then",
        "print a summary and stop everything (or keep running). Each step runs the `kos`",
        "command a user would type and shows its output. It takes a few minutes."})
public final class DemoCommand implements Callable<Integer> {

  /** Each local agent of the demo: enough for the story, whatever the machine. */
  static final ResourceSet AGENT = new ResourceSet(2, 3072, 10240, List.of());

  @Spec
  CommandSpec spec;

  @ParentCommand
  KosContext kos;

  @Option(names = "--keep-running",
      description = "After the story, keep kos running for `kos` commands in other shells until Ctrl-C")
  boolean keepRunning;

  @Option(names = "--cassandra", paramLabel = "HOST:PORT,...",
      description = "Roll up into this Cassandra cluster instead of starting a node")
  String cassandra;

  @Option(names = "--keyspace", paramLabel = "NAME", defaultValue = SchemaSettings.DEFAULT_KEYSPACE,
      description = "Keyspace of the rollups (default: ${DEFAULT-VALUE})")
  String keyspace;

  @Option(names = "--traffic-seconds", paramLabel = "N", defaultValue = "10",
      description = "How long the first web traffic lasts (default: ${DEFAULT-VALUE})")
  int trafficSeconds;

  @Option(names = "--verbose", description = "Also show the components' own log lines (INFO)")
  boolean verbose;

  @picocli.CommandLine.Mixin
  MetricsOptions metrics;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Also write what each step showed as JSON to FILE (for scripts and tests)")
  Path report;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    SchemaSettings.requireValidKeyspace(keyspace);
    if (!verbose) {
      quietComponents();
    }
    long started = System.nanoTime();
    // Like every long-running kos process: its Prometheus page on a port of its own (decision 0024).
    Optional<MetricsServer> served = metrics.serve(out);
    try {
      return tell(out, err, started);
    } finally {
      MetricsOptions.close(served);
    }
  }

  private int tell(PrintWriter out, PrintWriter err, long started) throws Exception {
    Path work = Files.createTempDirectory("kos-demo");
    // Agents whose tasks run as another user (KOS_AGENT_TASK_USER) need their work dirs in here reachable; none lists it.
    Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
    // The default partitions: the allocator's shards share their usage, so step 6's held-back rollup sees
    // the whole cluster's utilization whichever shard its agents are on.
    TopicCatalog catalog = TopicCatalog.defaults();
    out.println("kos demo: starting kos on this machine (work directory " + work + ")");
    LocalStack stack = LocalStack.start(new LocalStack.Plan(Optional.empty(), Optional.empty(),
        Optional.of(work.resolve("stack")), 0, "127.0.0.1", 0, catalog, 3, Optional.of(AGENT)), out);
    CompletableFuture<String> store = CompletableFuture.supplyAsync(() ->
        stack.useCassandra(Optional.ofNullable(cassandra), Optional.of(work), out));
    Map<String, String> env = Map.of(
        "KOS_HOME", work.resolve("home").toString(),
        "KOS_BOOTSTRAP_SERVER", stack.bootstrapServers(),
        "KOS_SCHEMA_REGISTRY", stack.schemaRegistryUrl(),
        "KOS_TOPIC_PREFIX", catalog.prefix(),
        "KOS_PARTITIONS", Integer.toString(catalog.partitions()),
        "KOS_PRINCIPAL", "demo",
        "KOS_KEYSPACE", keyspace);
    DemoStory story = new DemoStory(new DemoSettings(work, keyspace, trafficSeconds), new DemoBus(stack.bus(catalog)),
        stack.apps(), stack.jobs(), kos, stack.lb(), env, store, out, err);
    boolean stopHere = true;
    try {
      DemoReport outcome = story.tell();
      printSummary(out, outcome, (System.nanoTime() - started) / 1e9);
      if (report != null) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), outcome);
      }
      if (keepRunning) {
        stopHere = false;
        keepRunning(stack, store.join(), catalog, story, work, out);
      }
      return 0;
    } catch (DemoFailure e) {
      err.println("kos demo: " + e.getMessage());
      return 1;
    } finally {
      if (stopHere) {
        stop(stack, store, story, work, out);
      }
    }
  }

  /** The story says what happens; the components' INFO lines would drown it (warnings still show). */
  private static void quietComponents() {
    if (LoggerFactory.getLogger("dev.kos") instanceof ch.qos.logback.classic.Logger kosLogger) {
      kosLogger.setLevel(Level.WARN);
    }
  }

  private static void printSummary(PrintWriter out, DemoReport r, double seconds) {
    out.println();
    out.printf("kos demo: the story in %.0f s%n", seconds);
    out.printf("  web traffic (kos lb)  %s%n", r.traffic());
    out.printf("  logs through Kafka    %,d access-log lines on kos.logs%n", r.accessLines());
    out.printf("  scale by command      %d instances%n", r.scaledTo());
    out.printf("  autoscaler            %d -> %d instances%n", r.autoscaledFrom(), r.autoscaledTo());
    out.printf("  Spark rollup on kos   %s; then FINISHED with %d executor(s) as kos tasks%n", r.jobWaiting(),
        r.executorAgents().size());
    out.printf("  Spark -> Cassandra    %,d requests rolled up (2xx %,d, 4xx %,d, 5xx %,d)%n", r.rolledUpRequests(),
        r.rolledUp2xx(), r.rolledUp4xx(), r.rolledUp5xx());
    out.printf("  stateful restart      start number %d read from its volume, %s agent%n", r.dbStarts(),
        r.dbSameAgent() ? "same" : "another");
    out.printf("  containers            the hello service ran as a %s%n", r.helloRanAs());
  }

  /** Like `kos up`: the cluster file lets other shells find this kos; Ctrl-C stops it. */
  private void keepRunning(LocalStack stack, String contactPoints, TopicCatalog catalog, DemoStory story, Path work,
      PrintWriter out) throws IOException, InterruptedException {
    Properties cluster = new Properties();
    cluster.setProperty("bootstrap-server", stack.bootstrapServers());
    cluster.setProperty("schema-registry", stack.schemaRegistryUrl());
    cluster.setProperty("topic-prefix", catalog.prefix());
    cluster.setProperty("cassandra", contactPoints);
    cluster.setProperty("keyspace", keyspace);
    kos.home().writeCluster(cluster);
    UntilStopped life = UntilStopped.onStop("demo", () -> {
      stop(stack, CompletableFuture.completedFuture(contactPoints), story, work, out);
      try {
        Files.deleteIfExists(kos.home().clusterFile());
      } catch (IOException e) {
        System.err.println("kos: could not remove " + kos.home().clusterFile() + ": " + e.getMessage());
      }
    });
    out.println();
    out.println("kos demo keeps running. Try, in another shell: bin/kos app list, bin/kos events --follow,");
    out.println("bin/kos analytics top --metric requests, bin/kos job list. Ctrl-C stops it.");
    life.await();
  }

  /** Removes the demo's apps (their tasks end), stops what the stack started and removes the work directory. */
  private static void stop(LocalStack stack, CompletableFuture<String> store, DemoStory story, Path work,
      PrintWriter out) {
    out.println();
    out.println("kos demo: stopping (apps removed, then the frameworks, agents, allocator, Cassandra, broker) ...");
    story.removeApps();
    try {
      store.get(3, TimeUnit.MINUTES);
    } catch (Exception e) {
      // Started or not, the stack stops what it holds; a failed start was reported by the step that needed it.
    }
    stack.close();
    deleteQuietly(work);
    out.println("kos demo: stopped");
  }

  private static void deleteQuietly(Path dir) {
    Directories.deleteTreeQuietly(dir)
        .ifPresent(e -> System.err.println("kos demo: could not remove " + dir + ": " + e.getMessage()));
  }
}
