package dev.kos.bench.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kos.allocator.stream.AllocatorService;
import dev.kos.allocator.stream.AllocatorSettings;
import dev.kos.api.auth.TokenFile;
import dev.kos.api.auth.Tokens;
import dev.kos.api.http.ApiServer;
import dev.kos.bench.agent.BenchBus;
import dev.kos.bench.lb.Percentiles;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.DeployApp;
import dev.kos.schema.StatusEvent;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The API server under 10,000 tasks (issue 20): GET latency of its list endpoints, and how long a status event takes
 * from kos.status to a client of the event stream. Each run starts a fresh stack on the embedded broker with a
 * registry (as the other end-to-end benchmarks do): the allocator, the apps framework and the API server in this
 * JVM. The views are filled the way production fills them: the apps are deployed through DeployApp commands that the
 * apps framework answers and writes to kos.apps, and the tasks are TaskStatus records on kos.task-status (what agents
 * publish, naming a framework that does not run) that the allocator turns into kos.tasks; the API reads kos.apps and
 * kos.tasks. Nothing is timed until the API lists every app and task, with the expected ids.
 */
@CommandLine.Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "The API server with N tasks in its views (issue 20): GET latency p50/p99",
        "of the list endpoints (/api/v1/tasks, /api/v1/apps, /api/v1/tasks?app=ID),",
        "and the delay of a status event from the producer's send on kos.status to",
        "its arrival at a client of /api/v1/events (goal: p99 <= " + ApiBench.SSE_GOAL_MILLIS + " ms).",
        "Each run starts a fresh embedded broker, registry, allocator, apps framework",
        "and API server, fills the views through the topics production uses, checks",
        "that the API lists every app and task with the ids sent, then measures.",
        "Each timed response is checked (200, the full count); every event must",
        "arrive exactly once, or the run fails.",
        "Writes bench/results/api-<time>.{md,json}: each run's value, the median,",
        "the load average at start and whether the goal was met. Figures taken",
        "while the machine does other work are not results.",
        ""})
public final class ApiBench implements Callable<Integer> {
  static final int SSE_GOAL_MILLIS = 200;
  private static final String PROBE_KIND = "BENCH_PROBE";
  private static final String PROBE_TARGET = "/bench/probe";
  /**
   * The framework the tasks' statuses name: one that does not run, so nobody acts on them (under the apps
   * framework's id it would kill every task it did not launch itself).
   */
  private static final String TASKS_FRAMEWORK = "bench";
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--runs", description = "runs, each on a fresh broker; figures are medians (default ${DEFAULT-VALUE})")
  int runs = 3;
  @Option(names = "--tasks", description = "tasks in the views (default ${DEFAULT-VALUE})")
  int tasks = 10_000;
  @Option(names = "--apps", description = "apps the tasks belong to, deployed with 0 instances (default ${DEFAULT-VALUE})")
  int apps = 100;
  @Option(names = "--agents", description = "agent ids the tasks are spread over (default ${DEFAULT-VALUE})")
  int agents = 100;
  @Option(names = "--requests", description = "timed GETs per endpoint and run (default ${DEFAULT-VALUE})")
  int requests = 300;
  @Option(names = "--warmup", description = "untimed GETs per endpoint first (default ${DEFAULT-VALUE})")
  int warmup = 30;
  @Option(names = "--events", description = "status events sent through the event stream per run (default "
      + "${DEFAULT-VALUE})")
  int events = 500;
  @Option(names = "--event-interval-ms", description = "pause between two status events (default ${DEFAULT-VALUE})")
  int eventIntervalMillis = 20;
  @Option(names = "--partitions", description = "partitions of each kos topic (default ${DEFAULT-VALUE})")
  int partitions = 4;
  @Option(names = "--timeout-seconds", description = "how long to wait for the views to fill and for the events "
      + "(default ${DEFAULT-VALUE})")
  int timeoutSeconds = 300;
  @Option(names = "--bootstrap-server", description = "an existing Kafka cluster instead of the embedded broker")
  String bootstrap;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || tasks < 1 || apps < 1 || agents < 1 || requests < 1 || warmup < 0 || events < 1
        || eventIntervalMillis < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--runs, --tasks, --apps, --agents, "
          + "--requests and --events must be at least 1, --warmup and --event-interval-ms at least 0");
    }
    Instant started = Instant.now();
    Machine machine = Machine.current();
    List<List<Figure>> perRun = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      List<Figure> figures = runOnce(run);
      perRun.add(figures);
      System.out.printf("run %d:%n", run);
      figures.forEach(f -> System.out.printf(Locale.ROOT, "  %-70s %,12.2f %s%n", f.name(), f.value(), f.unit()));
    }
    List<Figure> medians = Figure.medians(perRun).stream().map(f -> f.name().equals(sseP99Name())
        ? f.withGoal("<= " + SSE_GOAL_MILLIS) : f).toList();
    double p99 = medians.stream().filter(f -> f.name().equals(sseP99Name())).findFirst().orElseThrow().value();
    String verdict = goalVerdict(p99, runs);
    System.out.println(verdict);
    List<String> notes = new ArrayList<>();
    notes.add(verdict);
    notes.add("List endpoints: " + requests + " GETs one after another per endpoint and run, after " + warmup
        + " untimed; one keep-alive HTTP/1.1 connection (java.net.http), a bearer token with @all:view. Latency is"
        + " from the request's send to the last byte of the body; each response's status (200) and array length"
        + " are checked after its timer stops.");
    notes.add("Event stream: one client on /api/v1/events?kind=" + PROBE_KIND + "; each probe is a StatusEvent "
        + "produced to kos.status every " + eventIntervalMillis + " ms, its sequence number in counts.seq; delay is "
        + "from the producer's send call to the moment the client read the event's data line (one clock, one JVM). "
        + "A run fails unless every probe arrives once. The client is a Java HTTP client, not a browser.");
    notes.add("The broker, registry, allocator, apps framework, API server and the clients share the machine.");
    loadNote(machine).ifPresent(notes::add);
    BenchResult result = new BenchResult("api", started, machine, Versions.current(), settings(), medians, notes);
    List<Path> files = ResultsWriter.fromSystemProperty().write(result);
    System.out.println("wrote " + files.get(0) + " and " + files.get(1));
    return 0;
  }

  /** A warning when other work ran on the machine as the benchmark began: its figures are then no result. */
  static Optional<String> loadNote(Machine machine) {
    if (machine.loadAverage() <= machine.cores()) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "The load average (%.2f) was above the %d cores at the "
        + "start: other work competed for the processors, and these figures are not a result; run again on a quiet "
        + "machine.", machine.loadAverage(), machine.cores()));
  }

  static String sseP99Name() {
    return "event stream: kos.status -> client, p99";
  }

  /** Whether the median p99 meets the goal, as the results file says it. */
  static String goalVerdict(double p99Millis, int runs) {
    return String.format(Locale.ROOT, "Goal (issue 20) event stream p99 <= %d ms: %s (%s %.1f ms).",
        SSE_GOAL_MILLIS, p99Millis <= SSE_GOAL_MILLIS ? "met" : "NOT met", runs == 1 ? "one run," : "median of "
            + runs + " runs,", p99Millis);
  }

  private List<Figure> runOnce(int run) throws Exception {
    System.out.printf("run %d: starting the broker, registry, allocator, apps framework and API server ...%n", run);
    String token = Tokens.newToken();
    TokenFile tokenFile = TokenFile.parse("bench", List.of(Tokens.line("bench", "@all:view", token)));
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    try (BenchBus bench = BenchBus.start(bootstrap, partitions)) {
      ControlBus bus = bench.bus();
      bench.registerSchemas();
      try (AllocatorService allocator = AllocatorService.start(bus, AllocatorSettings.defaults(),
              "kos-bench-api-allocator-" + System.currentTimeMillis(), Files.createTempDirectory("kos-bench-api"),
              Map.of(), Duration.ofMinutes(2));
          AppsFramework appsFramework = new AppsFramework(bus, "*", TenantPolicy.OPEN, Clock.systemUTC()).start();
          ApiServer api = ApiServer.start(bus, tokenFile, "127.0.0.1", 0, Duration.ofMinutes(2), Clock.systemUTC());
          BusPublisher publisher = new BusPublisher(bus, "kos-bench-api")) {
        Client client = new Client(api.port(), token);
        long fillStart = System.nanoTime();
        fill(publisher);
        long filledAt = awaitViews(client, timeout);
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of("views filled: first record sent -> API lists every app and task",
            (filledAt - fillStart) / 1e6, "ms"));
        String oneApp = appId(0);
        int perApp = (tasks + apps - 1) / apps; // tasks i with i % apps == 0 belong to app 0
        figures.addAll(timeList(client, "/api/v1/tasks", tasks, "GET /api/v1/tasks (" + tasks + " tasks)"));
        figures.addAll(timeList(client, "/api/v1/apps", apps, "GET /api/v1/apps (" + apps + " apps)"));
        figures.addAll(timeList(client, "/api/v1/tasks?app=" + oneApp, perApp,
            "GET /api/v1/tasks?app=ID (" + perApp + " of " + tasks + " tasks)"));
        figures.addAll(eventStream(client, publisher, timeout));
        return figures;
      }
    }
  }

  static String appId(int index) {
    return String.format(Locale.ROOT, "/bench/app-%03d", index);
  }

  static String taskId(int index) {
    return String.format(Locale.ROOT, "bench-task-%05d", index);
  }

  /** Deploys the apps (0 instances) through the apps framework and publishes a RUNNING status for every task. */
  private void fill(BusPublisher publisher) throws Exception {
    Instant now = Instant.now();
    for (int i = 0; i < apps; i++) {
      AppSpec spec = AppSpec.newBuilder().setId(appId(i)).setCmd("sleep 3600").setInstances(0).setCpus(0.1)
          .setMem(32).build();
      publisher.publish(Topics.COMMANDS, appId(i), Command.newBuilder().setCommandId("bench-deploy-" + i)
          .setPrincipal("bench").setTimestamp(now).setPayload(DeployApp.newBuilder().setApp(spec).build()).build());
    }
    for (int i = 0; i < tasks; i++) {
      String agent = "bench-agent-" + (i % agents);
      publisher.publish(Topics.TASK_STATUS, agent, TaskStatus.newBuilder().setTaskId(taskId(i))
          .setFrameworkId(TASKS_FRAMEWORK).setAgentId(agent).setAppId(appId(i % apps))
          .setState(TaskState.RUNNING).setMessage("bench").setTimestamp(now).build());
    }
    publisher.flush();
  }

  /**
   * Waits until the API lists every app and every task, then checks their ids: the check that the timed requests
   * below read full views. Returns the nanoTime it saw them all.
   */
  private long awaitViews(Client client, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seenTasks = -1;
    int seenApps = -1;
    while (System.nanoTime() < deadline) {
      seenTasks = JsonArrays.count(client.get("/api/v1/tasks").body());
      seenApps = JsonArrays.count(client.get("/api/v1/apps").body());
      if (seenTasks == tasks && seenApps == apps) {
        long at = System.nanoTime();
        checkIds(client, "/api/v1/tasks", "taskId", tasks, ApiBench::taskId);
        checkIds(client, "/api/v1/apps", "appId", apps, ApiBench::appId);
        System.out.printf("the API lists %,d tasks and %,d apps, every id as sent%n", tasks, apps);
        return at;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the API listed " + seenTasks + " of " + tasks + " tasks and " + seenApps + " of "
        + apps + " apps after " + timeout.toSeconds() + " s: the views did not fill; nothing measured");
  }

  private static void checkIds(Client client, String path, String field, int count,
      java.util.function.IntFunction<String> id) throws Exception {
    Set<String> listed = new HashSet<>();
    JSON.readTree(client.get(path).body()).forEach(node -> listed.add(node.get(field).asText()));
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < count; i++) {
      expected.add(id.apply(i));
    }
    if (!listed.equals(expected)) {
      throw new IllegalStateException(path + " lists " + listed.size() + " ids, not the " + count + " sent");
    }
  }

  /** Latency p50/p99 in ms of GET path, each response checked after its timer (200 and the expected count). */
  private List<Figure> timeList(Client client, String path, int expected, String name) throws Exception {
    for (int i = 0; i < warmup; i++) {
      client.get(path);
    }
    long[] micros = new long[requests];
    long bytes = 0;
    for (int i = 0; i < requests; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = client.get(path);
      micros[i] = (System.nanoTime() - start) / 1_000;
      int count = JsonArrays.count(response.body());
      if (response.statusCode() != 200 || count != expected) {
        throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + " with " + count
            + " elements, not 200 with " + expected + ": the timed request did not do the work");
      }
      bytes = response.body().length();
    }
    return List.of(Figure.of(name + ", p50", Percentiles.of(micros, 0.50) / 1e3, "ms"),
        Figure.of(name + ", p99", Percentiles.of(micros, 0.99) / 1e3, "ms"),
        Figure.of(name + ", body", bytes / 1024.0, "KiB"));
  }

  /** Sends the probes on kos.status while one client follows the stream; every probe must arrive once. */
  private List<Figure> eventStream(Client client, BusPublisher publisher, Duration timeout) throws Exception {
    Deliveries deliveries = new Deliveries(events);
    AtomicInteger unexpected = new AtomicInteger();
    AtomicReference<Exception> readFailure = new AtomicReference<>();
    HttpResponse<InputStream> stream = client.stream("/api/v1/events?kind=" + PROBE_KIND);
    if (stream.statusCode() != 200) {
      throw new IllegalStateException("the event stream answered " + stream.statusCode());
    }
    BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    String first = lines.readLine();
    if (first == null || !first.startsWith(": following kos.status")) {
      throw new IllegalStateException("the event stream did not say it follows kos.status: " + first);
    }
    CountDownLatch all = new CountDownLatch(events);
    Thread reader = new Thread(() -> {
      try {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          if (line.startsWith("data:")) {
            long at = System.nanoTime();
            JsonNode seq = JSON.readTree(line.substring(5).strip()).path("counts").path("seq");
            if (seq.isInt() && deliveries.received(seq.asInt(), at)) {
              all.countDown();
            } else {
              unexpected.incrementAndGet();
            }
          }
        }
      } catch (Exception e) {
        readFailure.set(e);
      }
    }, "bench-sse-client");
    reader.setDaemon(true);
    reader.start();
    try {
      for (int seq = 0; seq < events; seq++) {
        StatusEvent probe = StatusEvent.newBuilder().setTarget(PROBE_TARGET).setFramework("bench")
            .setKind(PROBE_KIND).setCounts(Map.of("seq", seq)).setMessage("bench probe " + seq)
            .setTimestamp(Instant.now()).build();
        deliveries.sent(seq, System.nanoTime());
        publisher.publish(Topics.STATUS, PROBE_TARGET, probe);
        if (eventIntervalMillis > 0) {
          Thread.sleep(eventIntervalMillis);
        }
      }
      publisher.flush();
      boolean arrived = all.await(timeout.toSeconds(), TimeUnit.SECONDS);
      Deliveries.Summary summary = deliveries.summary();
      if (!arrived || !summary.complete() || unexpected.get() > 0) {
        throw new IllegalStateException(String.format(Locale.ROOT, "the event stream delivered %d of %d probes "
            + "(%d unexpected events) within %d s%s", deliveries.receivedCount(), events, unexpected.get(),
            timeout.toSeconds(), readFailure.get() == null ? "" : "; the client failed: " + readFailure.get()));
      }
      System.out.printf("the event stream delivered all %,d probes, each once%n", events);
      return List.of(
          Figure.of("event stream: kos.status -> client, p50", summary.percentileMicros(0.50) / 1e3, "ms"),
          Figure.of(sseP99Name(), summary.percentileMicros(0.99) / 1e3, "ms"),
          Figure.of("event stream: kos.status -> client, max", summary.percentileMicros(1.0) / 1e3, "ms"),
          Figure.of("event stream: probes delivered", summary.delaysMicros().length, "events"));
    } finally {
      stream.body().close();
    }
  }

  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("runs", runs);
    settings.put("tasks", tasks);
    settings.put("apps (0 instances each, deployed through the apps framework)", apps);
    settings.put("agent ids the tasks name", agents);
    settings.put("timed GETs per endpoint and run", requests);
    settings.put("untimed GETs first", warmup);
    settings.put("status events per run", events);
    settings.put("pause between status events (ms)", eventIntervalMillis);
    settings.put("partitions per kos topic", partitions);
    settings.put("broker", bootstrap == null ? "embedded (forked JVM)" : bootstrap);
    return settings;
  }

  /** The benchmark's HTTP client: one keep-alive HTTP/1.1 connection pool, a bearer token. */
  private static final class Client {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    private final int port;
    private final String token;

    Client(int port, String token) {
      this.port = port;
      this.token = token;
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<InputStream> stream(String path) throws Exception {
      return http.send(request(path).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
    }

    private HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60))
          .header("Authorization", "Bearer " + token).GET();
    }
  }
}
