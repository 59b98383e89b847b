package dev.kos.bench.placement;

import dev.kos.model.PortRange;
import dev.kos.agent.model.ResourceSet;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.framework.BusSchedulerDriver;
import dev.kos.bus.framework.FrameworkSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Tasks from command to RUNNING, end to end through Kafka: the embedded broker, the allocator, a
 * simulated fleet and a set of bench frameworks on the SDK, all real Kafka clients. Commands on
 * kos.commands ask the frameworks for tasks (all at once, or at {@code --rate} tasks/s); each
 * framework launches as many as every offer fits; the tasks run until the run ends. Prints and
 * writes tasks/s, command → RUNNING latency, control-bus records and bytes per task, and CPU per part.
 */
@Command(name = "placement", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Tasks from command to RUNNING through the embedded broker, the allocator, a simulated fleet and "
        + "bench frameworks on the SDK; writes bench/results/placement-<time>.{md,json}.",
        "Goals (issue 8, 2 cores): >= 10,000 tasks/s (--agents 10000 --tasks 1000000 --frameworks 100) and, at "
            + "--rate 1000, p99 command -> RUNNING <= 250 ms."})
public final class PlacementBench implements Callable<Integer> {
  static final String ROLE = "bench";

  @Option(names = "--agents", description = "simulated agents (default ${DEFAULT-VALUE})")
  int agents = 1000;
  @Option(names = "--tasks", description = "tasks to launch in all (default ${DEFAULT-VALUE})")
  int tasks = 100_000;
  @Option(names = "--frameworks", description = "bench frameworks, each its own SDK driver (default ${DEFAULT-VALUE})")
  int frameworks = 10;
  @Option(names = "--rate", description = "tasks/s asked for; 0 asks for every task at once (default ${DEFAULT-VALUE})")
  double rate = 0;
  @Option(names = "--runs", description = "runs, each on a fresh broker; figures are medians (default ${DEFAULT-VALUE})")
  int runs = 1;
  @Option(names = "--partitions", description = "partitions of each kos topic (default ${DEFAULT-VALUE})")
  int partitions = 4;
  @Option(names = "--agent-cpus", description = "cpus of each agent (default ${DEFAULT-VALUE})")
  double agentCpus = 16;
  @Option(names = "--agent-mem", description = "MiB of each agent (default ${DEFAULT-VALUE})")
  double agentMem = 8192;
  @Option(names = "--task-cpus", description = "cpus of each task (default ${DEFAULT-VALUE})")
  double taskCpus = 0.125;
  @Option(names = "--task-mem", description = "MiB of each task (default ${DEFAULT-VALUE})")
  double taskMem = 32;
  @Option(names = "--heartbeat-seconds", description = "simulated agents' heartbeat (default ${DEFAULT-VALUE})")
  int heartbeatSeconds = 5;
  @Option(names = "--timeout-seconds", description = "give up a run after this long (default ${DEFAULT-VALUE})")
  int timeoutSeconds = 900;
  @Option(names = "--stall-seconds",
      description = "give up a run when no task reached RUNNING for this long (default ${DEFAULT-VALUE})")
  int stallSeconds = 60;
  @Option(names = "--hold-offers", description = "offers each bench framework holds while it wants no task, as "
      + "Aurora does; 0 declines each one and revives on the next command (default ${DEFAULT-VALUE})")
  int holdOffers = 4;
  @Option(names = "--bootstrap-server", description = "an existing Kafka cluster instead of the embedded broker")
  String bootstrap;

  public static void main(String[] args) {
    System.exit(new CommandLine(new PlacementBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    validate();
    Instant started = Instant.now();
    Machine machine = Machine.current();
    List<List<Figure>> series = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    int stalled = 0;
    for (int run = 1; run <= runs; run++) {
      Run outcome = runOnce(run);
      series.add(outcome.figures());
      notes.addAll(outcome.notes());
      stalled += outcome.complete() ? 0 : 1;
    }
    notes.addAll(List.of(
        "Tasks run until the run ends (simulated duration 1 day), so every launch holds its resources and a run ends "
            + "with --tasks tasks RUNNING.",
        "Command -> RUNNING: from the send time a ScaleApp command carries to the moment the framework's SDK driver "
            + "delivers the task's RUNNING status; tasks/s = tasks / (first command -> last RUNNING).",
        "Traffic: end offsets (records; transactional topics add one commit marker per partition per transaction) and "
            + "log sizes on disk (bytes, batch headers included) before and after the commands; heartbeats of idle "
            + "agents and suppress/revive records are in the figures.",
        "CPU: thread CPU time (ThreadMXBean, sampled every " + CpuMeter.SAMPLE_MILLIS + " ms) grouped by thread name "
            + "in this JVM, /proc/<pid>/stat for the broker; 'GC, JIT, other' is process CPU time minus the threads.",
        "One command reader serves all bench frameworks; each framework has its own SDK driver (producer, and a "
            + "consumer of its offers and of every partition of kos.task-status)."));
    BenchResult result = new BenchResult("placement", started, machine, Versions.current(), settings(),
        Figure.medians(series), notes);
    List<Path> files = ResultsWriter.fromSystemProperty().write(result);
    System.out.println("wrote " + files.get(0) + " and " + files.get(1));
    if (stalled > 0) {
      // The figures of a run that did not do the work it times are not a result: say so, and fail.
      System.err.printf("placement bench: %d of %d runs stopped before all %,d tasks were RUNNING (see the notes in "
          + "%s); their figures do not measure the goal%n", stalled, runs, tasks, files.get(1));
      return 1;
    }
    return 0;
  }

  private record Run(List<Figure> figures, List<String> notes, boolean complete) {
  }

  private Run runOnce(int run) throws Exception {
    Clock clock = Clock.systemUTC();
    ResourceSet agent = new ResourceSet(agentCpus, agentMem, 100_000, List.of(new PortRange(31000, 32000)));
    System.out.printf("run %d: starting the broker, the allocator and %,d simulated agents ...%n", run, agents);
    try (SimStack stack = SimStack.start(bootstrap, partitions, agents, agent, Duration.ofSeconds(heartbeatSeconds))) {
      LatencyRecorder latencies = new LatencyRecorder();
      LatencyRecorder offerAges = new LatencyRecorder();
      int perFramework = (tasks + frameworks - 1) / frameworks;
      List<BenchFramework> schedulers = IntStream.range(0, frameworks)
          .mapToObj(i -> new BenchFramework("bf-" + i, taskCpus, taskMem, perFramework, holdOffers, latencies,
              offerAges, clock)).toList();
      List<BusSchedulerDriver> drivers = new ArrayList<>();
      try (CpuMeter cpu = new CpuMeter(SimStack.cpuGroups(List.of(
              new CpuMeter.Group("bench frameworks (SDK drivers)", name -> name.contains("framework-")),
              new CpuMeter.Group("load generator", name -> name.contains("bench-load")))),
          stack.bench.brokerPid());
          BusPublisher commands = new BusPublisher(stack.bus(), "bench-load")) {
        for (BenchFramework scheduler : schedulers) {
          drivers.add(new BusSchedulerDriver(stack.bus(), FrameworkSettings.of(scheduler.frameworkId(), ROLE),
              scheduler, clock).startSuppressed().start());
        }
        try (CommandRouter router = CommandRouter.start(stack.bus(), schedulers, clock)) {
          Thread.sleep(2_000);
          Map<String, TopicTraffic.Traffic> before = TopicTraffic.snapshot(stack.admin);
          cpu.start();
          long wallStart = System.nanoTime();
          LoadGenerator load = new LoadGenerator(commands, schedulers.stream().map(BenchFramework::frameworkId).toList(),
              tasks, rate, clock);
          Thread loadThread = new Thread(load, "bench-load");
          loadThread.start();
          long running = await(schedulers, stack);
          loadThread.interrupt();
          loadThread.join();
          Measured measured = new Measured(running, load.firstCommandMillis(), load.commands(),
              (System.nanoTime() - wallStart) / 1e9, cpu.stop(),
              TopicTraffic.between(before, TopicTraffic.snapshot(stack.admin)));
          List<Figure> figures = figures(schedulers, latencies, offerAges, measured, stack.bus().catalog().prefix());
          print(run, figures);
          List<String> notes = notes(run, running, schedulers);
          notes.forEach(note -> System.out.println("  " + note));
          return new Run(figures, notes, running >= tasks);
        }
      } finally {
        for (BusSchedulerDriver driver : drivers) {
          driver.close();
        }
      }
    }
  }

  /** What one run measured besides the latencies. */
  private record Measured(long running, long firstCommandMillis, long commands, double wallSeconds,
      Map<String, Double> cpuSeconds, Map<String, TopicTraffic.Traffic> traffic) {
  }

  private List<Figure> figures(List<BenchFramework> schedulers, LatencyRecorder latencies, LatencyRecorder offerAges,
      Measured measured, String kosPrefix) {
    long last = schedulers.stream().mapToLong(BenchFramework::lastRunningMillis).max().orElse(0);
    double seconds = Math.max(1, last - measured.firstCommandMillis()) / 1000.0;
    List<Figure> figures = new ArrayList<>();
    figures.add(Figure.of("tasks RUNNING", measured.running(), "tasks"));
    figures.add(Figure.of("launches that ended before RUNNING and were retried",
        schedulers.stream().mapToLong(BenchFramework::failed).sum(), "launches"));
    figures.add(Figure.of("offers expired on arrival (left unanswered)",
        schedulers.stream().mapToLong(BenchFramework::expiredOffers).sum(), "offers"));
    figures.add(Figure.of("offers delivered to the frameworks",
        schedulers.stream().mapToLong(BenchFramework::offersReceived).sum(), "offers"));
    figures.add(Figure.of("offers launched on", schedulers.stream().mapToLong(BenchFramework::offersUsed).sum(),
        "offers"));
    figures.add(Figure.of("offers declined", schedulers.stream().mapToLong(BenchFramework::offersDeclined).sum(),
        "offers"));
    figures.add(Figure.of("rescinds delivered to the frameworks",
        schedulers.stream().mapToLong(BenchFramework::offersRescinded).sum(), "rescinds"));
    figures.add(Figure.of("offer age on delivery (made -> framework), p50", offerAges.percentile(0.50), "ms"));
    figures.add(Figure.of("offer age on delivery (made -> framework), p99", offerAges.percentile(0.99), "ms"));
    figures.add(Figure.of("offer age on delivery (made -> framework), max", offerAges.percentile(1.0), "ms"));
    figures.add(Figure.of("tasks/s, first command -> last RUNNING", measured.running() / seconds, "tasks/s")
        .withGoal(rate <= 0 ? ">= 10,000" : null));
    figures.add(Figure.of("latency command -> RUNNING, first task", latencies.percentile(0), "ms"));
    figures.add(Figure.of("latency command -> RUNNING, p50", latencies.percentile(0.50), "ms"));
    figures.add(Figure.of("latency command -> RUNNING, p99", latencies.percentile(0.99), "ms")
        .withGoal(rate > 0 && rate <= 1000 ? "<= 250 at 1,000 tasks/s" : null));
    figures.add(Figure.of("latency command -> RUNNING, max", latencies.percentile(1.0), "ms"));
    figures.add(Figure.of("commands sent", measured.commands(), "commands"));
    figures.addAll(RunFigures.traffic(measured.traffic(), kosPrefix, Math.max(1, measured.running()), "task"));
    figures.addAll(RunFigures.cpu(measured.cpuSeconds(), measured.wallSeconds()));
    return figures;
  }

  /** A stalled run, and why launches had to be retried. */
  private List<String> notes(int run, long running, List<BenchFramework> schedulers) {
    List<String> notes = new ArrayList<>();
    if (running < tasks) {
      notes.add("run " + run + " stopped with " + running + " of " + tasks + " tasks RUNNING (timeout or stall)");
    }
    Map<String, Long> failures = new TreeMap<>();
    schedulers.forEach(s -> s.failures().forEach((why, count) -> failures.merge(why, count, Long::sum)));
    failures.forEach((why, count) -> notes.add("run " + run + ": " + (why.startsWith("rescinded: ")
        ? count + " offers " + why : count + " launches ended " + why + " (and were retried)")));
    return notes;
  }

  /** Waits until every task is RUNNING, printing progress, or until the timeout or a stall; returns how many are. */
  private long await(List<BenchFramework> schedulers, SimStack stack) throws Exception {
    long start = System.nanoTime();
    long lastProgress = start;
    long lastPrint = start;
    long seen = 0;
    while (true) {
      long running = schedulers.stream().mapToLong(BenchFramework::running).sum();
      long now = System.nanoTime();
      if (running > seen) {
        seen = running;
        lastProgress = now;
      }
      if (running >= tasks || now - start > Duration.ofSeconds(timeoutSeconds).toNanos()
          || now - lastProgress > Duration.ofSeconds(stallSeconds).toNanos()) {
        return running;
      }
      if (now - lastPrint > Duration.ofSeconds(5).toNanos()) {
        System.out.printf("  %,d of %,d tasks RUNNING after %.0f s (offers: %,d delivered, %,d launched on, %,d declined,"
            + " %,d expired on arrival, %,d rescinded; %,d launches failed; the allocator's backlog on kos.accepts: %,d"
            + " records)%n", running, tasks, (now - start) / 1e9,
            sum(schedulers, BenchFramework::offersReceived), sum(schedulers, BenchFramework::offersUsed),
            sum(schedulers, BenchFramework::offersDeclined), sum(schedulers, BenchFramework::expiredOffers),
            sum(schedulers, BenchFramework::offersRescinded), sum(schedulers, BenchFramework::failed),
            stack.allocatorLag(dev.kos.bus.catalog.Topics.ACCEPTS));
        lastPrint = now;
      }
      Thread.sleep(50);
    }
  }

  private static long sum(List<BenchFramework> schedulers, java.util.function.ToLongFunction<BenchFramework> count) {
    return schedulers.stream().mapToLong(count).sum();
  }

  private void validate() {
    int perAgent = (int) Math.min(Math.floor(agentCpus / taskCpus + 1e-9), Math.floor(agentMem / taskMem + 1e-9));
    if (agents < 1 || tasks < 1 || frameworks < 1 || runs < 1 || rate < 0 || holdOffers < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--agents, --tasks, --frameworks and --runs must be at least 1, --rate and --hold-offers at least 0");
    }
    if ((long) perAgent * agents < tasks) {
      throw new CommandLine.ParameterException(new CommandLine(this), String.format(
          "%,d agents fit %,d tasks of %s cpus / %s MiB (%d each), fewer than --tasks %,d: add agents, make them "
              + "bigger (--agent-cpus, --agent-mem) or the tasks smaller", agents, (long) perAgent * agents, taskCpus,
          taskMem, perAgent, tasks));
    }
  }

  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("agents", agents);
    settings.put("tasks", tasks);
    settings.put("frameworks", frameworks);
    settings.put("rate (tasks/s, 0 = all at once)", rate);
    settings.put("runs", runs);
    settings.put("partitions per kos topic", partitions);
    settings.put("agent resources", agentCpus + " cpus, " + agentMem + " MiB");
    settings.put("task resources", taskCpus + " cpus, " + taskMem + " MiB");
    settings.put("task lifetime", "until the run ends");
    settings.put("heartbeat (s)", heartbeatSeconds);
    settings.put("offers held per framework while it wants none", holdOffers);
    settings.put("allocator", "exactly_once_v2, commit interval 100 ms, round 50 ms, agent timeout "
        + SimStack.AGENT_TIMEOUT.toSeconds() + " s");
    settings.put("broker", bootstrap == null ? "embedded (forked JVM)" : bootstrap);
    settings.put("JVM heap (max)", Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
    return settings;
  }

  private static void print(int run, List<Figure> figures) {
    System.out.printf("run %d:%n", run);
    figures.forEach(f -> System.out.printf("  %-70s %,14.1f %s%n", f.name(), f.value(), f.unit()));
  }
}
