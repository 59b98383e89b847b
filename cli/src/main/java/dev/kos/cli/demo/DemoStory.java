package dev.kos.cli.demo;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.agent.exec.ClasspathMirror;
import dev.kos.analytics.query.HttpSummary;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.rollup.LogLineClassifier;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.json.AvroToJson;
import dev.kos.cli.common.KosContext;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.InstanceState;
import dev.kos.frameworks.jobs.JobsFramework;
import dev.kos.frameworks.jobs.core.Job;
import dev.kos.frameworks.jobs.core.Run;
import dev.kos.frameworks.jobs.core.RunState;
import dev.kos.lb.KosLb;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Constraint;
import dev.kos.schema.ConstraintOperator;
import dev.kos.schema.ContainerInfo;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LoadBalancer;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.ScaleDecision;
import dev.kos.schema.ScaleMode;
import dev.kos.schema.ScalingPolicy;
import dev.kos.schema.UpgradeStrategy;
import dev.kos.schema.Volume;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;

/**
 * The story {@code kos demo} tells on a running stack, one numbered step after another, each
 * through the same {@code kos} command lines a user would type (run in this JVM, their output
 * shown) and each ending with what it showed. {@link #tell()} returns those outcomes.
 */
final class DemoStory {

  static final String WEB = "/demo/web";
  static final String DB = "/demo/db";
  static final String OTHER_TEAM = "/demo/other-team";
  static final String HELLO = "/demo/hello";
  /** The job `kos analytics run` submits: the Spark rollup's driver. */
  static final String JOB = "analytics-rollup";
  /** The role of the Spark executors (`kos analytics run --executor-role`, by default). */
  static final String ANALYTICS_ROLE = "analytics";
  /** The batch roles (jobs: the rollup's driver; analytics: its executors) are held back at or above this utilization. */
  static final double JOBS_THRESHOLD = 0.8;
  private static final int STEPS = 10;
  private static final double WEB_MEM = 256;
  private static final double BUSY_UNIT_MEM = 256;
  private static final double TRAFFIC_RATE = 150;
  private static final double AUTOSCALE_RATE = 200;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);
  /** A Spark run on kos starts a driver JVM, then executor JVMs, on a machine the other steps keep busy. */
  private static final Duration SPARK_TIMEOUT = Duration.ofSeconds(300);

  private final DemoSettings settings;
  private final DemoBus bus;
  private final AppsFramework apps;
  private final JobsFramework jobs;
  private final KosContext kos;
  private final KosLb lb;
  /** The port kos lb serves the web service on (its spec's loadBalancer port): a free one of this machine. */
  private final int webServicePort;
  private Map<String, String> kosEnv;
  private final CompletableFuture<String> cassandra;
  private final PrintWriter out;
  private final PrintWriter err;
  private int step;
  private long stepStarted;

  DemoStory(DemoSettings settings, DemoBus bus, AppsFramework apps, JobsFramework jobs, KosContext kos, KosLb lb,
      Map<String, String> kosEnv, CompletableFuture<String> cassandra, PrintWriter out, PrintWriter err)
      throws IOException {
    this.settings = settings;
    this.lb = lb;
    this.webServicePort = freePort();
    this.bus = bus;
    this.apps = apps;
    this.jobs = jobs;
    this.kos = kos;
    this.kosEnv = Map.copyOf(kosEnv);
    this.cassandra = cassandra;
    this.out = out;
    this.err = err;
  }

  DemoReport tell() throws IOException, InterruptedException {
    holdBackTheBatchRoles();
    deployTheWebService();
    Traffic.Outcome traffic = generateTraffic();
    long accessLines = watchTheLogs(traffic);
    int scaledTo = scaleByCommand();
    ScaleDecision decision = autoscale();
    String waiting = holdBackTheRollup();
    List<String> executorAgents = runTheRollupOnKos();
    Map<String, Long> linesByStatus = accessLinesByStatusClass();
    HttpSummary rollup = queryTheRollups();
    int[] db = restartTheStatefulService();
    String hello = runAServiceAsAContainer();
    return new DemoReport(traffic, accessLines, linesByStatus, rollup.requests(), rollup.status2xx(),
        rollup.status4xx(), rollup.status5xx(), scaledTo, decision.getFrom(), decision.getTo(), waiting,
        executorAgents, db[0], db[1] == 1, hello);
  }

  /**
   * The roles of batch work get priority -1 and a threshold, as an operator would configure them: {@code jobs}, where
   * the jobs framework runs the rollup's driver, and {@code analytics}, where its Spark executors run.
   */
  private void holdBackTheBatchRoles() {
    try (BusPublisher publisher = new BusPublisher(bus.bus(), "kos-demo")) {
      for (String role : List.of(JobsFramework.ROLE, ANALYTICS_ROLE)) {
        publisher.publish(Topics.ROLES, role, RoleInfo.newBuilder().setRole(role).setPriority(-1)
            .setMaxClusterUtilization(JOBS_THRESHOLD).build());
        out.printf("role %s: priority -1, gets no offers while cluster utilization is at or above %.0f%%%n", role,
            JOBS_THRESHOLD * 100);
      }
      publisher.flush();
    }
  }

  private void deployTheWebService() throws IOException, InterruptedException {
    begin("Deploy a web service: 3 instances of an HTTP server that writes access logs, spread over the agents,"
        + " reached through kos lb on service port " + webServicePort);
    AppSpec web = AppSpec.newBuilder().setId(WEB).setCmd(javaCommand(DemoWebService.class)).setInstances(3)
        .setCpus(0.25).setMem(WEB_MEM).setPorts(List.of(new PortDefinition("http", 0)))
        .setLoadBalancer(LoadBalancer.newBuilder().setPort(webServicePort).setPortName("http").build())
        .setEnv(busEnvironment())
        .setConstraints(List.of(new Constraint("hostname", ConstraintOperator.GROUP_BY, "3")))
        .setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/health")
            .setGracePeriodSeconds(30).setIntervalSeconds(1).setTimeoutSeconds(2).build()))
        .build();
    kos("app", "deploy", specFile("web.json", web).toString());
    await("3 instances of " + WEB + " running and healthy", () -> healthy(WEB) == 3, () -> healthy(WEB) + " of 3");
    // kos lb follows kos.endpoints: the instances are its backends once they are healthy.
    await("kos lb serving " + WEB + " on port " + webServicePort + " with 3 backends", () ->
        WEB.equals(lb.edge().ports().get(webServicePort))
            && lb.edge().backends().getOrDefault(WEB, List.of()).size() == 3,
        () -> lb.edge().backends().getOrDefault(WEB, List.of()).size() + " backends");
    kos("app", "list");
    end("3 instances healthy on " + agentsOf(WEB) + " agents, the backends of kos lb on port " + webServicePort);
  }

  private Traffic.Outcome generateTraffic() throws InterruptedException {
    begin(String.format("Send web traffic through kos lb: %.0f requests/s for %d s to the service port; the"
        + " balancer spreads them over the instances kos.endpoints lists", TRAFFIC_RATE, settings.trafficSeconds()));
    kos("app", "endpoints", WEB);
    Traffic.Outcome outcome = new Traffic().run(TRAFFIC_RATE, Duration.ofSeconds(settings.trafficSeconds()),
        this::webThroughTheBalancer);
    end(outcome.toString());
    return outcome;
  }

  /** The agents ship every line each instance writes to kos.logs; wait until all access lines are there. */
  private long watchTheLogs(Traffic.Outcome traffic) throws InterruptedException {
    begin("Watch the logs flow: each instance's stdout goes through its agent to kos.logs");
    long[] lines = new long[1];
    await(traffic.answered() + " access-log lines of " + WEB + " on kos.logs", () -> {
      lines[0] = accessLines();
      return lines[0] >= traffic.answered();
    }, () -> lines[0] + " so far");
    kos("task", "logs", instances(WEB).get(0).taskId(), "--tail", "3");
    end(String.format("%,d access-log lines on kos.logs for %,d answered requests", lines[0], traffic.answered()));
    return lines[0];
  }

  private int scaleByCommand() throws InterruptedException {
    begin("Scale the service by a command");
    kos("app", "scale", WEB, "5");
    await("5 instances of " + WEB + " healthy", () -> healthy(WEB) == 5, () -> healthy(WEB) + " of 5");
    kos("task", "list", "--app", WEB);
    end("5 instances healthy");
    return healthy(WEB);
  }

  /** A target-tracking policy, then load above its target: the autoscaler scales the service by itself. */
  private ScaleDecision autoscale() throws IOException, InterruptedException {
    begin("Let the autoscaler act on the service's own load report (requests/s on kos.metrics)");
    ScalingPolicy policy = ScalingPolicy.newBuilder().setMetric(DemoWebService.METRIC).setTarget(20)
        .setMinInstances(2).setMaxInstances(8).setCooldownSeconds(10).setScaleUpStabilizationSeconds(0)
        .setScaleDownStabilizationSeconds(300).setMode(ScaleMode.AUTOMATIC).build();
    kos("app", "policy", WEB, specFile("web-policy.json", policy).toString());
    out.printf("  sending %.0f requests/s through kos lb (target: 20 per instance) ...%n", AUTOSCALE_RATE);
    AtomicBoolean loading = new AtomicBoolean(true);
    CompletableFuture<Traffic.Outcome> load = CompletableFuture.supplyAsync(() -> {
      Traffic traffic = new Traffic();
      Traffic.Outcome total = null;
      try {
        while (loading.get()) {
          // New instances get their share as soon as they are healthy: kos lb follows kos.endpoints.
          total = traffic.run(AUTOSCALE_RATE, Duration.ofSeconds(5), this::webThroughTheBalancer);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return total;
    });
    try {
      ScaleDecision[] decision = new ScaleDecision[1];
      await("a scale-up decision for " + WEB, () -> {
        decision[0] = bus.all(Topics.SCALE_DECISIONS).stream()
            .filter(d -> d.getTarget().equals(WEB) && d.getTo() > d.getFrom()).findFirst().orElse(null);
        return decision[0] != null;
      }, () -> healthy(WEB) + " instances healthy");
      out.printf("  decision: %d -> %d (%s)%n", decision[0].getFrom(), decision[0].getTo(), decision[0].getReason());
      await(decision[0].getTo() + " instances of " + WEB + " healthy", () -> healthy(WEB) >= decision[0].getTo(),
          () -> healthy(WEB) + " of " + decision[0].getTo());
      end(String.format("the autoscaler took %s from %d to %d instances", WEB, decision[0].getFrom(),
          decision[0].getTo()));
      return decision[0];
    } finally {
      loading.set(false);
      joinQuietly(load);
    }
  }

  /**
   * Another team's service fills the cluster's memory past the batch roles' threshold; the Spark rollup submitted
   * now (`kos analytics run`: a job whose task is the driver) waits, and its status says why.
   */
  private String holdBackTheRollup() throws IOException, InterruptedException {
    begin(String.format("Submit the Spark rollup to kos while the cluster is above the %.0f%% threshold",
        JOBS_THRESHOLD * 100));
    double[] memory = bus.memory();
    int units = (int) Math.ceil(((JOBS_THRESHOLD + 0.05) * memory[1] - memory[0]) / BUSY_UNIT_MEM);
    AppSpec busy = AppSpec.newBuilder().setId(OTHER_TEAM).setCmd("exec sleep 3600").setInstances(Math.max(units, 1))
        .setCpus(0.01).setMem(BUSY_UNIT_MEM).build();
    out.printf("  another team deploys %d x %.0f MiB: memory goes from %.0f%% to about %.0f%% of %.0f MiB%n",
        busy.getInstances(), BUSY_UNIT_MEM, 100 * memory[0] / memory[1],
        100 * (memory[0] + busy.getInstances() * BUSY_UNIT_MEM) / memory[1], memory[1]);
    kos("app", "deploy", specFile("other-team.json", busy).toString());
    await(busy.getInstances() + " instances of " + OTHER_TEAM + " running",
        () -> running(OTHER_TEAM) == busy.getInstances(), () -> running(OTHER_TEAM) + " of " + busy.getInstances());
    useCassandra();
    // The driver's job runs in the jobs framework's role (jobs), its executors in role analytics.
    kos("analytics", "run", "--analytics-dir", settings.workDir().resolve("analytics").toString());
    String[] waiting = new String[1];
    await(JOB + " waiting for the held-back role", () -> {
      waiting[0] = Optional.ofNullable(jobs.jobs().get(JOB)).flatMap(Job::waiting).orElse(null);
      return waiting[0] != null && waiting[0].contains("held back");
    }, () -> lastRun().map(run -> "run " + run.state()).orElse("no run yet")
        + Optional.ofNullable(waiting[0]).map(reason -> ", " + reason).orElse(""));
    kos("job", "list");
    end(JOB + " " + waiting[0]);
    return waiting[0];
  }

  /**
   * The other team lets go; utilization drops below the threshold; the driver's task starts, and Spark's kos cluster
   * manager gets its executors as kos tasks of the analytics role through offers.
   *
   * @return the agents the executors ran on
   */
  private List<String> runTheRollupOnKos() throws InterruptedException {
    begin("Free capacity: the other team scales down, utilization drops, the rollup runs on kos (its driver a task "
        + "of the jobs role, its executors tasks of the analytics role)");
    kos("app", "scale", OTHER_TEAM, "0");
    await(JOB + " ended", () -> lastRun().filter(run -> run.state().ended()).isPresent(),
        () -> lastRun().map(run -> run.state() + run.agentId().map(agent -> " on " + agent).orElse("")).orElse(
            "no run yet") + ", executors running: " + executorTasks().values().stream()
            .filter(task -> task.getState() == dev.kos.schema.TaskState.RUNNING).count(), SPARK_TIMEOUT);
    Run run = lastRun().orElseThrow();
    kos("job", "list");
    run.taskId().ifPresent(task -> runKos("task", "logs", task, "--tail", "3"));
    if (run.state() != RunState.FINISHED) {
      throw new DemoFailure("step " + step + ": the rollup ended " + run.state() + ": see the driver's output above");
    }
    List<String> executorAgents = executorTasks().values().stream().map(dev.kos.schema.TaskStatus::getAgentId)
        .filter(agent -> !agent.isEmpty()).sorted().toList();
    end(String.format("%s ran to FINISHED: the driver on %s, %d executor(s) on %s", JOB,
        run.agentId().orElse("?"), executorAgents.size(), String.join(", ", executorAgents)));
    return executorAgents;
  }

  /** The executors of the rollup's Spark applications, as their drivers last recorded them (kos.spark-executors). */
  private Map<String, dev.kos.schema.TaskStatus> executorTasks() {
    Map<String, dev.kos.schema.TaskStatus> latest = new LinkedHashMap<>();
    bus.all(Topics.SPARK_EXECUTORS).forEach(task -> latest.put(task.getTaskId(), task));
    return latest;
  }

  /** The web app's access-log lines on kos.logs by status class: what the rollup must count. */
  private Map<String, Long> accessLinesByStatusClass() {
    Map<String, Long> byClass = new java.util.TreeMap<>();
    bus.all(Topics.LOGS).stream()
        .filter(line -> WEB.equals(line.getAppId()) && line.getStream() == LogStream.STDOUT)
        .flatMap(line -> LogLineClassifier.classify(line.getLine()).access().stream())
        .forEach(access -> byClass.merge(access.status() / 100 + "xx", 1L, Long::sum));
    return byClass;
  }

  private void useCassandra() throws InterruptedException {
    Map<String, String> withCassandra = new LinkedHashMap<>(kosEnv);
    withCassandra.put("KOS_CASSANDRA", cassandra());
    kosEnv = Map.copyOf(withCassandra);
  }

  /** The rollups the Spark run wrote, through the analytics queries. */
  private HttpSummary queryTheRollups() throws InterruptedException {
    begin("Query the rollups the Spark run wrote to Cassandra");
    kos("analytics", "http", "--app", WEB);
    kos("analytics", "rollup", "--app", WEB);
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(cassandra()), Duration.ofSeconds(30))) {
      HttpSummary summary = new RollupQueries(session, settings.keyspace())
          .http(WEB, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofMinutes(1)));
      end(String.format("Cassandra holds %,d requests of %s (2xx %,d, 4xx %,d, 5xx %,d), p99 %s ms",
          summary.requests(), WEB, summary.status2xx(), summary.status4xx(), summary.status5xx(),
          summary.p99().isPresent() ? Integer.toString(summary.p99().getAsInt()) : "-"));
      return summary;
    }
  }

  /** A service with a persistent volume counts its starts there; after a restart the count goes on. */
  private int[] restartTheStatefulService() throws IOException, InterruptedException {
    begin("Restart a stateful service: it comes back on its agent with its volume");
    AppSpec db = AppSpec.newBuilder().setId(DB).setInstances(1).setCpus(0.1).setMem(32)
        .setCmd("n=$(( $(cat data/starts 2>/dev/null || echo 0) + 1 )); echo $n > data/starts; "
            + "echo \"db start number $(cat data/starts)\"; exec sleep 3600")
        .setVolumes(List.of(new Volume("db_data", "*", 16.0, "data")))
        .setUpgradeStrategy(new UpgradeStrategy(0.0, 0.0)).build();
    kos("app", "deploy", specFile("db.json", db).toString());
    await(DB + " writing to its volume", () -> starts(null) == 1, () -> "not yet");
    Instance first = instances(DB).get(0);
    kos("app", "restart", DB);
    await(DB + " running its new task", () -> instances(DB).stream()
        .anyMatch(i -> !i.taskId().equals(first.taskId()) && i.state().isLive() && starts(i.taskId()) > 0),
        () -> "not yet");
    Instance second = instances(DB).stream().filter(i -> !i.taskId().equals(first.taskId())).findFirst().orElseThrow();
    int starts = starts(second.taskId());
    kos("task", "logs", second.taskId());
    boolean sameAgent = second.agent().agentId().equals(first.agent().agentId());
    end(String.format("task %s on %s read its volume: start number %d (%s agent)", second.taskId(),
        second.agent().agentId(), starts, sameAgent ? "same" : "another"));
    return new int[] {starts, sameAgent ? 1 : 0};
  }

  /**
   * Containers and processes side by side: a small HTTP service from an OCI image built now (busybox-static), run
   * by runc under a 16 MiB memory limit on an agent that says it runs containers. Without runc or busybox-static
   * the same step runs the service as a process, and says so.
   *
   * @return how the service ran: "container" or "process"
   */
  private String runAServiceAsAContainer() throws IOException, InterruptedException {
    begin("Run a service as a container, beside the processes: an OCI image built now, run by runc");
    Optional<String> image = DemoImage.build(settings.workDir().resolve("images").resolve("hello"));
    boolean agentsRunContainers = bus.agentsRunningContainers() > 0;
    AppSpec.Builder hello = AppSpec.newBuilder().setId(HELLO).setInstances(1).setCpus(0.1)
        .setPorts(List.of(new PortDefinition("http", 0)));
    String how;
    if (image.isPresent() && agentsRunContainers) {
      out.println("  image " + image.get() + " (busybox-static and a page, packed here as an OCI layout)");
      hello.setCmd(null).setMem(16).setContainer(ContainerInfo.newBuilder().setImage(image.get())
          .setEntrypoint(List.of("/bin/sh", "-c", "exec httpd -f -p $PORT0 -h /www")).build());
      how = "container";
    } else {
      out.println("  " + (agentsRunContainers ? "busybox-static is not installed" : "no agent runs containers "
          + "(runc is not installed, or the agents are not root)") + ": `apt-get install runc busybox-static` "
          + "makes this a container; it runs as a process now");
      hello.setCmd(javaCommand(DemoWebService.class)).setMem(WEB_MEM).setEnv(busEnvironment());
      how = "process";
    }
    hello.setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP)
        .setPath(how.equals("container") ? "/" : "/health").setGracePeriodSeconds(30).setIntervalSeconds(1)
        .setTimeoutSeconds(2).build()));
    kos("app", "deploy", specFile("hello.json", hello.build()).toString());
    await(HELLO + " running and healthy", () -> healthy(HELLO) == 1, () -> "not yet");
    kos("app", "endpoints", HELLO);
    String page = fetch(bus.endpoints(HELLO).get(0));
    out.println("  GET / -> " + page.strip());
    end(HELLO + " ran as a " + how + (how.equals("container") ? ", memory limited to 16 MiB by runc's cgroup" : ""));
    return how;
  }

  private static String fetch(String endpoint) throws IOException, InterruptedException {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://" + endpoint + "/")).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body();
  }

  /** Removes the demo's apps and waits until their tasks are gone, so nothing outlives the demo. */
  void removeApps() {
    for (String app : List.of(WEB, OTHER_TEAM, DB, HELLO)) {
      if (apps.apps().containsKey(app)) {
        runKos("app", "remove", app);
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!apps.instances().isEmpty() && System.nanoTime() < deadline) {
      sleep(200);
    }
    if (!apps.instances().isEmpty()) {
      err.println("kos demo: " + apps.instances().size() + " instances still there after 30 s");
    }
  }

  private String cassandra() throws InterruptedException {
    if (!cassandra.isDone()) {
      out.println("  waiting for Cassandra to finish starting ...");
    }
    try {
      return cassandra.get();
    } catch (ExecutionException e) {
      throw new DemoFailure("Cassandra did not start: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private long accessLines() {
    return bus.all(Topics.LOGS).stream()
        .filter(line -> WEB.equals(line.getAppId()) && line.getStream() == LogStream.STDOUT)
        .filter(line -> LogLineClassifier.classify(line.getLine()).access().isPresent()).count();
  }

  /** The start number the db task printed, 0 before it did; null: any db task. */
  private int starts(String taskId) {
    return bus.all(Topics.LOGS).stream()
        .filter(line -> DB.equals(line.getAppId()) && (taskId == null || line.getTaskId().equals(taskId)))
        .map(LogLine::getLine).filter(line -> line.startsWith("db start number "))
        .mapToInt(line -> Integer.parseInt(line.substring("db start number ".length()).trim())).max().orElse(0);
  }

  private Optional<Run> lastRun() {
    return Optional.ofNullable(jobs.jobs().get(JOB)).flatMap(Job::last);
  }

  /** Where the web traffic goes: the web service's port on kos lb. */
  private List<String> webThroughTheBalancer() {
    return List.of("127.0.0.1:" + webServicePort);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private List<Instance> instances(String app) {
    return apps.instances().stream().filter(i -> i.appId().equals(app)).toList();
  }

  private int healthy(String app) {
    return (int) instances(app).stream().filter(Instance::isHealthyAndRunning).count();
  }

  private int running(String app) {
    return (int) instances(app).stream().filter(i -> i.state() == InstanceState.RUNNING)
        .count();
  }

  private long agentsOf(String app) {
    return instances(app).stream().map(i -> i.agent().agentId()).distinct().count();
  }

  /** The bus, as a web instance needs it to report its load. */
  private Map<String, String> busEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : List.of("KOS_BOOTSTRAP_SERVER", "KOS_SCHEMA_REGISTRY", "KOS_TOPIC_PREFIX")) {
      env.put(name, kosEnv.get(name));
    }
    return env;
  }

  /**
   * A small JVM running {@code main} from this kos's own classpath: the agent's readable mirror of it where the agent
   * runs the task as another user ({@code KOS_CLASSPATH}, as kos's jars may sit where only root may enter), else
   * this JVM's.
   */
  private static String javaCommand(Class<?> main) {
    return "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -Xmx48m -Xss512k -XX:+UseSerialGC"
        + " -XX:TieredStopAtLevel=1 -cp \"${" + ClasspathMirror.ENV + ":-" + System.getProperty("java.class.path")
        + "}\" " + main.getName();
  }

  private Path specFile(String name, SpecificRecord record) throws IOException {
    Path file = settings.workDir().resolve("specs").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, AvroToJson.toJson(record).toPrettyString() + "\n");
    return file;
  }

  private void begin(String title) {
    step++;
    stepStarted = System.nanoTime();
    out.println();
    out.printf("[%d/%d] %s%n", step, STEPS, title);
  }

  private void end(String outcome) {
    out.printf("  => %s (%.1f s)%n", outcome, (System.nanoTime() - stepStarted) / 1e9);
  }

  /** Runs a kos command line in this JVM as a user would type it; a failure ends the demo with its reason. */
  private void kos(String... args) {
    int exit = runKos(args);
    if (exit != 0) {
      throw new DemoFailure("step " + step + ": `kos " + String.join(" ", args) + "` exited with " + exit);
    }
  }

  private int runKos(String... args) {
    out.println("  $ kos " + String.join(" ", args));
    PrintWriter indented = new PrintWriter(new IndentingWriter(out, "    "), true);
    PrintWriter indentedErr = new PrintWriter(new IndentingWriter(err, "    "), true);
    int exit = kos.execute(kosEnv, indented, indentedErr, args);
    indented.flush();
    indentedErr.flush();
    return exit;
  }

  /** Polls the condition every 200 ms, saying every 10 s how far it got; gives up after the step timeout. */
  private void await(String what, BooleanSupplier condition, Supplier<String> progress) throws InterruptedException {
    await(what, condition, progress, STEP_TIMEOUT);
  }

  private void await(String what, BooleanSupplier condition, Supplier<String> progress, Duration timeout)
      throws InterruptedException {
    long started = System.nanoTime();
    long lastSaid = started;
    while (!condition.getAsBoolean()) {
      long now = System.nanoTime();
      if (now - started > timeout.toNanos()) {
        throw new DemoFailure("step " + step + ": gave up waiting for " + what + " after "
            + timeout.toSeconds() + " s (" + progress.get() + ")");
      }
      if (now - lastSaid > 10_000_000_000L) {
        out.printf("  ... waiting for %s: %s (%.0f s)%n", what, progress.get(), (now - started) / 1e9);
        lastSaid = now;
      }
      Thread.sleep(200);
    }
  }

  private static void joinQuietly(CompletableFuture<?> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // The load only drives the autoscaler; what it got back is not part of the outcome.
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
