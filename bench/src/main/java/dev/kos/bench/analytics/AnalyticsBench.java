package dev.kos.bench.analytics;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.agent.model.ResourceSet;
import dev.kos.analytics.query.AppCounts;
import dev.kos.analytics.query.AppRollup;
import dev.kos.analytics.query.Granularity;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.bench.lb.Percentiles;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.TopicCatalog;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.client.TopicReader;
import dev.kos.bus.files.Directories;
import dev.kos.cli.Kos;
import dev.kos.cli.common.LocalStack;
import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.Run;
import dev.kos.frameworks.jobs.core.RunState;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark rollup on kos (issue 22): lines/s through the micro-batch at 1 and 2 executors, the launch overhead, and
 * the day and hour queries' p50/p99, on a real broker, a real Cassandra node and real agents (the local stack of
 * `kos up`: {@link LocalStack}). It produces a known set of access-log lines ({@link AccessLines}) to kos.logs once,
 * then per run submits the rollup with `kos analytics run` (a kos job whose task is the driver, its executors kos
 * tasks of the analytics role, spark.master=kos://), each time from scratch (a new job, checkpoint and keyspace), and
 * checks that the rollups in Cassandra count exactly the lines produced, by status class, before it keeps a figure.
 */
@Command(name = "analytics", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "The Spark rollup on kos (issue 22), on a real Kafka broker, a real Cassandra",
        "node, the allocator, local agents and the jobs framework on this machine (as",
        "`kos up --analytics` starts them).",
        "",
        "Produces --lines access-log lines to kos.logs once, spread over the last 24 h.",
        "Each run then rolls them up with `kos analytics run` (the driver a kos job, the",
        "executors kos tasks of role analytics, spark.master=kos://) at each executor",
        "count, from scratch (new job, checkpoint and keyspace), and CHECKS that the",
        "rollups in Cassandra count exactly the lines, requests and 2xx/4xx/5xx",
        "produced, and that every executor asked for ran: otherwise the benchmark fails.",
        "Then it times the day query (`kos analytics http` over 24 h) and the hour query",
        "(the minute rollup over 1 h) on the last keyspace.",
        "",
        "Figures (medians of --runs): records/s through the micro-batch (the driver's",
        "batch lines: records over the batches' own time); launch overhead (submit ->",
        "first executor RUNNING, submit -> first micro-batch begins); submit -> FINISHED;",
        "query p50/p99. Writes bench/results/analytics-<time>.md and .json.",
        "",
        "Needs the analytics job built: ./mvnw -q -B -DskipTests -pl analytics-job,bench",
        "-am package. Figures taken while other work runs are not results: take them on",
        "a quiet machine.",
        ""})
public final class AnalyticsBench implements Callable<Integer> {

  static final String APP = "bench-web";
  /** Each local agent's offer, as `kos demo`'s: room for the driver (1 cpu, 1280 MiB) and an executor. */
  private static final ResourceSet AGENT = new ResourceSet(2, 3072, 10240, List.of());
  private static final int WARMUP_QUERIES = 20;

  @Option(names = "--runs", description = "runs; each figure is their median (default ${DEFAULT-VALUE})")
  int runs = 3;
  @Option(names = "--lines", description = "access-log lines produced to kos.logs (default ${DEFAULT-VALUE})")
  long lines = 1_000_000;
  @Option(names = "--executors", split = ",", defaultValue = "1,2",
      description = "executor counts, each rolled up in every run (default ${DEFAULT-VALUE})")
  List<Integer> executorCounts;
  @Option(names = "--queries", description = "timed queries of each kind per run, after " + WARMUP_QUERIES
      + " untimed (default ${DEFAULT-VALUE})")
  int queries = 300;
  @Option(names = "--agents", description = "local agents, each 2 cpus and 3072 MiB (default ${DEFAULT-VALUE})")
  int agents = 3;
  @Option(names = "--executor-memory", description = "heap of each executor (default ${DEFAULT-VALUE})")
  String executorMemory = "512m";
  @Option(names = "--analytics-job", description = "the built job: kos-analytics-job.jar, lib/, jvm.options "
      + "(default: analytics-job/target under the working directory)")
  Path jobDir = Path.of("analytics-job", "target");
  @Option(names = "--timeout-minutes", description = "give up a rollup run after this long (default ${DEFAULT-VALUE})")
  int timeoutMinutes = 20;
  @Option(names = "--verbose", description = "also show the components' INFO log lines")
  boolean verbose;

  private final PrintWriter out = new PrintWriter(System.out, true);
  private final PrintWriter err = new PrintWriter(System.err, true);

  public static void main(String[] args) {
    System.exit(new CommandLine(new AnalyticsBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || lines < 1 || queries < 1 || agents < 1 || executorCounts.isEmpty()
        || executorCounts.stream().anyMatch(n -> n < 1)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--runs, --lines, --queries, --agents and every --executors must be at least 1");
    }
    Path job = jobDir.toAbsolutePath();
    if (!Files.isRegularFile(job.resolve("kos-analytics-job.jar")) || !Files.isDirectory(job.resolve("lib"))) {
      err.println("the analytics job is not built in " + job + ": run ./mvnw -q -B -DskipTests -pl analytics-job,bench"
          + " -am package (or pass --analytics-job DIR)");
      return 2;
    }
    if (!verbose && LoggerFactory.getLogger("dev.kos") instanceof ch.qos.logback.classic.Logger kos) {
      kos.setLevel(ch.qos.logback.classic.Level.WARN);
    }
    Instant started = Instant.now();
    Machine machine = Machine.current();
    Path work = Files.createTempDirectory("kos-bench-analytics");
    TopicCatalog catalog = TopicCatalog.defaults();
    Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    AccessLines produced = new AccessLines(lines, end.minus(Duration.ofDays(1)), Duration.ofDays(1), 12);
    List<List<Figure>> perRun = new ArrayList<>();
    Set<String> executorAgents = new TreeSet<>();
    double produceSeconds;
    try (LocalStack stack = LocalStack.start(new LocalStack.Plan(Optional.empty(), Optional.empty(),
        Optional.of(work.resolve("stack")), 0, "127.0.0.1", 0, catalog, agents, Optional.of(AGENT)), out)) {
      String cassandra = stack.useCassandra(Optional.empty(), Optional.of(work), out);
      ControlBus bus = stack.bus(catalog);
      produceSeconds = produce(bus, produced);
      Map<String, String> env = Map.of("KOS_HOME", work.resolve("home").toString(),
          "KOS_BOOTSTRAP_SERVER", stack.bootstrapServers(), "KOS_SCHEMA_REGISTRY", stack.schemaRegistryUrl(),
          "KOS_TOPIC_PREFIX", catalog.prefix(), "KOS_PARTITIONS", Integer.toString(catalog.partitions()),
          "KOS_PRINCIPAL", "bench", "KOS_CASSANDRA", cassandra);
      for (int run = 1; run <= runs; run++) {
        List<Figure> figures = new ArrayList<>();
        String keyspace = null;
        for (int executors : executorCounts) {
          keyspace = "bench_" + executors + "x_" + run;
          RollupRun rollup = rollUp(stack, bus, env, job, work, produced, executors, run, keyspace, cassandra,
              executorAgents);
          List<String> problems = rollup.check();
          if (!problems.isEmpty()) {
            throw new IllegalStateException("run " + run + " with " + executors + " executor(s) did not do the work it"
                + " was timed for: " + String.join("; ", problems));
          }
          figures.addAll(rollup.figures());
        }
        figures.addAll(timeQueries(cassandra, keyspace, produced));
        perRun.add(figures);
        out.println("run " + run + ":");
        figures.forEach(f -> out.printf("  %s: %s %s%n", f.name(), f.value(), f.unit()));
      }
    } finally {
      Directories.deleteTreeQuietly(work).ifPresent(e -> err.println("could not remove " + work + ": " + e));
    }
    List<Figure> medians = Figure.medians(perRun).stream().map(AnalyticsBench::withGoal).toList();
    List<String> notes = new ArrayList<>(List.of(
        "Spark ran on kos: the driver as a task of the jobs framework (role jobs), the executors as kos tasks of role "
            + "analytics on the local agents (spark.master=kos://), executors seen on " + executorAgents + ".",
        String.format("The %,d lines were produced once, in %.1f s, spread over the 24 h before %s, on %d task keys;"
            + " each rollup run reads kos.logs and kos.metrics from the beginning into a keyspace of its own.",
            lines, produceSeconds, end, produced.tasks()),
        "Checked in every run, before its figures were kept: the rollups of " + APP + " over the 24 h (as the queries "
            + "read them: hour rows, and minute rows around them) hold "
            + "exactly the lines, requests and 2xx/4xx/5xx produced, and every executor asked for ran.",
        "records/s through the micro-batch: the records of the driver's batch lines over the batches' own time (read,"
            + " roll up, merge, write to Cassandra); the records include the cluster's own log lines and metrics.",
        "Launch: from `kos analytics run` answered to the first executor's RUNNING status (its agent's time), and to "
            + "the first batch's start (its report on kos.logs minus its time); both include the driver's JVM and "
            + "Spark's start.",
        "Day query: `kos analytics http` over the 24 h (RollupQueries.http over two day partitions: the whole hours"
            + " from app_hour, one row an hour, and the minutes of the partial hours at both ends from app_minute);"
            + " hour query: the minute rollup over the last hour (RollupQueries.rollup, MINUTE). Each timed "
            + queries + " times after " + WARMUP_QUERIES + " untimed, from the benchmark's JVM, on the last keyspace."));
    medians.forEach(f -> f.goalMet().ifPresent(met -> notes.add(String.format(Locale.ROOT,
        "goal %s for %s: %s (median %,.2f %s)", f.goal(), f.name(), met ? "met" : "NOT met", f.value(), f.unit()))));
    if (machine.loadAverage() > machine.cores()) {
      notes.add(String.format(Locale.ROOT, "The load average at the start (%.2f) was above the %d cores: other work "
          + "competed for them, so these figures are not results.", machine.loadAverage(), machine.cores()));
    }
    Map<String, String> versions = new LinkedHashMap<>(Versions.current());
    versions.put("spark", "3.5.4 (analytics-job)");
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("lines", lines);
    settings.put("executors", executorCounts.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    settings.put("executor memory", executorMemory);
    settings.put("agents", agents + " local agents of 2 cpus, 3072 MiB each");
    settings.put("kos.logs partitions", catalog.partitions());
    settings.put("queries", queries + " of each kind per run");
    settings.put("runs", runs);
    List<Path> files = ResultsWriter.fromSystemProperty().write(new BenchResult("analytics", started, machine,
        versions, settings, medians, notes));
    out.println("wrote " + files.get(0) + " and " + files.get(1));
    return 0;
  }

  static Figure withGoal(Figure figure) {
    if (figure.name().endsWith("records/s through the micro-batch")) {
      return figure.withGoal(">= 200,000");
    }
    if (figure.name().endsWith("query p99")) {
      return figure.withGoal("<= 5");
    }
    return figure;
  }

  /** Produces the lines to kos.logs as agents do (Avro LogLine, keyed by task); returns the seconds it took. */
  private double produce(ControlBus bus, AccessLines produced) {
    out.printf("producing %,d access-log lines of %s to kos.logs ...%n", produced.count(), APP);
    long startedAt = System.nanoTime();
    try (BusPublisher publisher = new BusPublisher(bus, "kos-bench-analytics")) {
      for (long i = 0; i < produced.count(); i++) {
        String task = produced.task(i);
        publisher.publish(Topics.LOGS, task, LogLine.newBuilder().setTaskId(task).setFrameworkId("apps")
            .setAppId(APP).setAgentId("local-1").setStream(LogStream.STDOUT).setTimestamp(produced.timestamp(i))
            .setSeq(i).setLine(produced.line(i)).build());
      }
      publisher.flush();
    }
    double seconds = (System.nanoTime() - startedAt) / 1e9;
    out.printf("produced in %.1f s%n", seconds);
    return seconds;
  }

  private RollupRun rollUp(LocalStack stack, ControlBus bus, Map<String, String> env, Path job, Path work,
      AccessLines produced, int executors, int run, String keyspace, String cassandra, Set<String> executorAgents)
      throws InterruptedException {
    String jobId = "bench-rollup-" + executors + "x-" + run;
    out.printf("run %d: rolling up with %d executor(s) as job %s into keyspace %s ...%n", run, executors, jobId,
        keyspace);
    int exit = Kos.run(env, out, err, "analytics", "run", "--job-id", jobId, "--executors",
        Integer.toString(executors), "--executor-memory", executorMemory, "--keyspace", keyspace, "--analytics-dir",
        work.resolve(jobId).toString(), "--analytics-job", job.toString());
    Instant submitted = Instant.now();
    if (exit != 0) {
      throw new IllegalStateException("`kos analytics run` exited with " + exit);
    }
    Supplier<Optional<Run>> last = () -> Optional.ofNullable(stack.jobs().jobs().get(jobId)).flatMap(Job::last);
    long deadline = System.nanoTime() + Duration.ofMinutes(timeoutMinutes).toNanos();
    while (last.get().filter(r -> r.state().ended()).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(jobId + " not ended after " + timeoutMinutes + " min: " + last.get()
            + "; the driver said:\n" + driverOutput(bus, jobId));
      }
      Thread.sleep(100);
    }
    Instant finished = Instant.now();
    if (last.get().orElseThrow().state() != RunState.FINISHED) {
      throw new IllegalStateException(jobId + " ended " + last.get() + "; the driver said:\n"
          + driverOutput(bus, jobId));
    }
    List<LogLine> said = driverLines(bus, jobId);
    List<BatchProgress> batches = said.stream().flatMap(l -> BatchProgress.parse(l.getLine()).stream()).toList();
    Optional<Instant> firstBatch = said.stream().filter(l -> BatchProgress.parse(l.getLine()).isPresent())
        .map(LogLine::getTimestamp).min(Comparator.naturalOrder());
    List<TaskStatus> executorsRunning = runningExecutors(bus, submitted);
    executorsRunning.forEach(t -> executorAgents.add(t.getAgentId()));
    RollupRun result = new RollupRun(executors, submitted,
        executorsRunning.stream().map(TaskStatus::getTimestamp).min(Comparator.naturalOrder()),
        (int) executorsRunning.stream().map(TaskStatus::getTaskId).distinct().count(), batches, firstBatch, finished,
        RollupRun.Expected.of(produced), rolledUp(cassandra, keyspace, produced));
    out.printf("  FINISHED in %.1f s, %d batch(es), rollups hold %s%n",
        Duration.between(submitted, finished).toMillis() / 1000.0, batches.size(), result.rolledUp());
    return result;
  }

  /** The driver's output on kos.logs (its task ids start with the job's id). */
  private static List<LogLine> driverLines(ControlBus bus, String jobId) {
    List<LogLine> lines = new ArrayList<>();
    try (TopicReader reader = new TopicReader(bus, "kos-bench-analytics-read")) {
      reader.fromBeginning(reader.partitionsOf(Topics.LOGS));
      reader.readToEnd(record -> {
        String key = TopicReader.keyOf(record);
        if (key != null && key.startsWith(jobId)) {
          lines.add(reader.decode(Topics.LOGS, record));
        }
      });
    }
    lines.sort(Comparator.comparing(LogLine::getTimestamp).thenComparing(LogLine::getSeq));
    return lines;
  }

  private static String driverOutput(ControlBus bus, String jobId) {
    return driverLines(bus, jobId).stream().map(LogLine::getLine).collect(Collectors.joining("\n"));
  }

  /** Executor tasks RUNNING since the run was submitted (kos.spark-executors: what the drivers recorded). */
  private static List<TaskStatus> runningExecutors(ControlBus bus, Instant since) {
    List<TaskStatus> running = new ArrayList<>();
    try (TopicReader reader = new TopicReader(bus, "kos-bench-analytics-executors")) {
      reader.fromBeginning(reader.partitionsOf(Topics.SPARK_EXECUTORS));
      reader.readToEnd(record -> {
        TaskStatus task = reader.decode(Topics.SPARK_EXECUTORS, record);
        if (task.getState() == TaskState.RUNNING && !task.getTimestamp().isBefore(since)) {
          running.add(task);
        }
      });
    }
    return running;
  }

  /** What the rollups of the benchmark's app hold over the lines' window, read as the queries read them. */
  private static RollupRun.Expected rolledUp(String cassandra, String keyspace, AccessLines produced) {
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(cassandra), Duration.ofSeconds(30))) {
      AppCounts total = new RollupQueries(session, keyspace)
          .rollup(APP, produced.start(), produced.end(), Granularity.HOUR).stream().map(AppRollup::counts)
          .reduce(AppCounts::plus).orElse(null);
      return total == null ? new RollupRun.Expected(0, 0, 0, 0, 0)
          : new RollupRun.Expected(total.lines(), total.requests(), total.status2xx(), total.status4xx(),
              total.status5xx());
    }
  }

  /** p50 and p99 of the day query and the hour query, in ms. */
  private List<Figure> timeQueries(String cassandra, String keyspace, AccessLines produced) {
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(cassandra), Duration.ofSeconds(30))) {
      RollupQueries rollups = new RollupQueries(session, keyspace);
      Instant to = produced.end();
      long[] day = time(() -> rollups.http(APP, to.minus(Duration.ofDays(1)), to).requests());
      long[] hour = time(() -> rollups.rollup(APP, to.minus(Duration.ofHours(1)), to, Granularity.MINUTE).size());
      return List.of(
          Figure.of("day query (http summary over 24 h): query p50", Percentiles.of(day, 0.5) / 1000.0, "ms"),
          Figure.of("day query (http summary over 24 h): query p99", Percentiles.of(day, 0.99) / 1000.0, "ms"),
          Figure.of("hour query (minute rollup over 1 h): query p50", Percentiles.of(hour, 0.5) / 1000.0, "ms"),
          Figure.of("hour query (minute rollup over 1 h): query p99", Percentiles.of(hour, 0.99) / 1000.0, "ms"));
    }
  }

  /** Each timed call's µs; every answer must be non-empty, or the query did not read what it was timed for. */
  private long[] time(Supplier<Number> query) {
    for (int i = 0; i < WARMUP_QUERIES; i++) {
      query.get();
    }
    long[] micros = new long[queries];
    for (int i = 0; i < queries; i++) {
      long startedAt = System.nanoTime();
      Number answer = query.get();
      micros[i] = (System.nanoTime() - startedAt) / 1000;
      if (answer.longValue() == 0) {
        throw new IllegalStateException("a timed query found nothing: it did not read the rollups");
      }
    }
    return micros;
  }
}
