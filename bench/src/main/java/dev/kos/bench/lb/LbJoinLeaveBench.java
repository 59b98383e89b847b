package dev.kos.bench.lb;

import dev.kos.bench.agent.BenchBus;
import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import dev.kos.bus.BusPublisher;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.frameworks.apps.AppsFramework;
import dev.kos.frameworks.apps.core.Instance;
import dev.kos.frameworks.apps.core.TenantPolicy;
import dev.kos.lb.KosLb;
import dev.kos.lb.LbSettings;
import dev.kos.schema.AppSpec;
import dev.kos.schema.Command;
import dev.kos.schema.DeployApp;
import dev.kos.schema.HealthCheck;
import dev.kos.schema.HealthCheckProtocol;
import dev.kos.schema.LoadBalancer;
import dev.kos.schema.Offer;
import dev.kos.schema.OfferEvent;
import dev.kos.schema.PortDefinition;
import dev.kos.schema.PortRange;
import dev.kos.schema.Resources;
import dev.kos.schema.TaskState;
import dev.kos.schema.TaskStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How soon kos lb routes to an instance after its health turns true, and stops after it turns false (issue 19's goal:
 * within 1 s, p99, both ways). The whole path runs: the embedded broker, the apps framework, kos lb, one app with an
 * HTTP health check and a service port, whose one instance is a real HTTP backend ({@link Backends}). The benchmark
 * plays the allocator and the agent: it offers the backend's port, and then publishes the instance's
 * {@code TaskStatus} on {@code kos.task-status}, RUNNING and healthy, then RUNNING and unhealthy, {@code flips} times
 * each. The framework takes the instance into {@code kos.endpoints} or out of it, and kos lb follows.
 *
 * <p>Each delay runs from just before the status record is sent to the first request through kos lb's service port
 * that shows the change: answered by the backend (200) after a join, answered 503 (no backend) after a leave. A
 * prober sends one request at a time on a fresh connection, so the resolution is a request's round trip (about a
 * millisecond here). A flip not seen within {@code bound-seconds} is counted as missed, and a run with any missed
 * flip fails after writing its results.
 *
 * <p>Usage: {@code LbJoinLeaveBench [flips=50] [pause-millis=200] [bound-seconds=10] [runs=3]}: each run is
 * {@code flips} joins and leaves on the same stack; the figures are the medians of the runs' (each run's in the
 * results file).
 */
public final class LbJoinLeaveBench {

  private static final String APP = "/bench-flip";
  private static final String AGENT = "bench-agent";

  private LbJoinLeaveBench() {
  }

  public static void main(String[] args) throws Exception {
    int flips = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    long pauseMillis = args.length > 1 ? Long.parseLong(args[1]) : 200;
    long boundNanos = TimeUnit.SECONDS.toNanos(args.length > 2 ? Long.parseLong(args[2]) : 10);
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Instant started = Instant.now();
    Machine machine = Machine.current();
    int servicePort = freePort();
    List<List<Figure>> perRun = new ArrayList<>();
    int missed = 0;
    try (Backends backend = new Backends(1); BenchBus bench = BenchBus.start(null, 1)) {
      bench.registerSchemas();
      int backendPort = backend.addresses().get(0).getPort();
      try (BusPublisher publisher = new BusPublisher(bench.bus(), "kos-bench-lb-flips");
          AppsFramework framework = new AppsFramework(bench.bus(), "*", TenantPolicy.OPEN, Clock.systemUTC())
              .start();
          KosLb lb = new KosLb(bench.bus(), LbSettings.defaults("bench").withBindHost("127.0.0.1"),
              Clock.systemUTC()).start(new LoopSupervisor((loop, cause) -> {
                throw new IllegalStateException("kos lb's loop " + loop + " died", cause);
              }))) {
        publisher.publishAndWait(Topics.COMMANDS, APP, Command.newBuilder().setCommandId("deploy-flip")
            .setPrincipal("bench").setTimestamp(Instant.now()).setPayload(deploy(servicePort)).build());
        String taskId = launch(publisher, framework, backendPort);
        System.out.println("task " + taskId + " on 127.0.0.1:" + backendPort + ", service port " + servicePort);
        if (!lb.awaitCaughtUp(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("kos lb did not catch up with kos.endpoints in 60 s");
        }
        // A first join before timing: the framework, the balancer and the prober warm up.
        flip(publisher, taskId, true, servicePort, boundNanos);
        flip(publisher, taskId, false, servicePort, boundNanos);
        for (int run = 1; run <= runs; run++) {
          List<Long> joins = new ArrayList<>();
          List<Long> leaves = new ArrayList<>();
          for (int i = 0; i < flips; i++) {
            joins.add(flip(publisher, taskId, true, servicePort, boundNanos));
            Thread.sleep(pauseMillis);
            leaves.add(flip(publisher, taskId, false, servicePort, boundNanos));
            Thread.sleep(pauseMillis);
          }
          FlipDelays join = FlipDelays.of(joins);
          FlipDelays leave = FlipDelays.of(leaves);
          missed += join.missed() + leave.missed();
          perRun.add(figures(join, leave));
          System.out.println("run " + run + ": " + perRun.get(run - 1));
        }
      }
    }
    describe(Figure.medians(perRun), flips, pauseMillis, boundNanos, runs, started, machine, missed);
  }

  private static List<Figure> figures(FlipDelays join, FlipDelays leave) {
    return List.of(
        Figure.of("join: healthy on the bus to routed, p50", join.p50Micros() / 1000.0, "ms"),
        Figure.of("join: healthy on the bus to routed, p99", join.p99Micros() / 1000.0, "ms").withGoal("<= 1000"),
        Figure.of("join: longest", join.maxMicros() / 1000.0, "ms"),
        Figure.of("leave: unhealthy on the bus to not routed, p50", leave.p50Micros() / 1000.0, "ms"),
        Figure.of("leave: unhealthy on the bus to not routed, p99", leave.p99Micros() / 1000.0, "ms")
            .withGoal("<= 1000"),
        Figure.of("leave: longest", leave.maxMicros() / 1000.0, "ms"),
        Figure.of("flips seen", join.observed() + leave.observed(), "flips"),
        Figure.of("flips not seen within the bound", join.missed() + leave.missed(), "flips"));
  }

  private static void describe(List<Figure> figures, int flips, long pauseMillis, long boundNanos, int runs,
      Instant started, Machine machine, int missed) throws IOException {
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("path", "TaskStatus on kos.task-status -> apps framework -> kos.endpoints -> kos lb -> a request "
        + "through the app's service port");
    described.put("flips", flips + " joins and " + flips + " leaves of one instance per run, " + pauseMillis
        + " ms apart, after one untimed join and leave");
    described.put("runs", runs + " on the same stack; each figure is the median of the runs'");
    described.put("observed by", "one request at a time through kos lb on a fresh connection: 200 from the backend "
        + "after a join, 503 after a leave");
    described.put("bound", TimeUnit.NANOSECONDS.toSeconds(boundNanos) + " s per flip");
    described.put("processes", "embedded broker, schema registry, apps framework, kos lb and the backend in one JVM "
        + "(the broker in a process of its own)");
    List<Path> written = ResultsWriter.fromSystemProperty().write(new BenchResult("lb-join-leave", started, machine,
        Versions.current(), described, figures, List.of(
            "A delay starts just before the status record is sent, so it includes the send; it ends at the first "
                + "request that shows the change, so it overstates by up to one request's round trip.",
            "Every flip of every run is counted in \"flips seen\" or \"flips not seen\" (per run; the file's runs "
                + "column has each).")));
    figures.forEach(f -> System.out.println(f.name() + ": " + f.value() + " " + f.unit()));
    written.forEach(path -> System.out.println("results: " + path));
    if (missed > 0) {
      System.err.println("FAILED: " + missed + " flips not seen within the bound");
      System.exit(1);
    }
  }

  private static DeployApp deploy(int servicePort) {
    return DeployApp.newBuilder().setApp(AppSpec.newBuilder().setId(APP).setCmd("bench: the benchmark's backend")
        .setInstances(1).setCpus(0.1).setMem(32)
        .setPorts(List.of(PortDefinition.newBuilder().setName("http").setPort(0).build()))
        .setHealthChecks(List.of(HealthCheck.newBuilder().setProtocol(HealthCheckProtocol.HTTP).setPath("/")
            .build()))
        .setLoadBalancer(LoadBalancer.newBuilder().setPort(servicePort).setPortName("http").build())
        .build()).build();
  }

  /** Offers the backend's port until the framework launches the instance on it; returns its task id. */
  private static String launch(BusPublisher publisher, AppsFramework framework, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    for (int n = 1; System.nanoTime() < deadline; n++) {
      Instant now = Instant.now();
      publisher.publishAndWait(Topics.OFFERS, AppsFramework.FRAMEWORK_ID, OfferEvent.newBuilder().setPayload(
          Offer.newBuilder().setOfferId("flip-offer-" + n).setFrameworkId(AppsFramework.FRAMEWORK_ID)
              .setAgentId(AGENT).setHostname("127.0.0.1")
              .setResources(Resources.newBuilder().setCpus(4).setMem(4096).setDisk(1000)
                  .setPorts(List.of(new PortRange(port, port))).build())
              .setCreatedAt(now).setExpiresAt(now.plusSeconds(60)).build()).build());
      for (int i = 0; i < 20; i++) {
        Optional<Instance> launched = framework.instances().stream().filter(in -> in.appId().equals(APP)).findFirst();
        if (launched.isPresent()) {
          return launched.get().taskId();
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the apps framework launched no instance of " + APP + " in 120 s");
  }

  /**
   * Publishes the task's health and returns the microseconds until a request through kos lb shows it, or -1 if none
   * did within the bound.
   */
  private static long flip(BusPublisher publisher, String taskId, boolean healthy, int servicePort, long boundNanos)
      throws Exception {
    long start = System.nanoTime();
    publisher.publish(Topics.TASK_STATUS, AGENT, TaskStatus.newBuilder().setTaskId(taskId)
        .setFrameworkId(AppsFramework.FRAMEWORK_ID).setAgentId(AGENT).setState(TaskState.RUNNING).setHealthy(healthy)
        .setTimestamp(Instant.now()).build());
    int wanted = healthy ? 200 : 503;
    while (System.nanoTime() - start < boundNanos) {
      if (status(servicePort) == wanted) {
        return (System.nanoTime() - start) / 1000;
      }
    }
    return -1;
  }

  /** The status of one GET through kos lb (a fresh connection), or -1 if it could not be had. */
  static int status(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write("GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = new byte[12];
      int read = 0;
      while (read < head.length) {
        int n = in.read(head, read, head.length - read);
        if (n < 0) {
          return -1;
        }
        read += n;
      }
      // "HTTP/1.1 200"
      return Integer.parseInt(new String(head, 9, 3, StandardCharsets.US_ASCII));
    } catch (IOException | NumberFormatException e) {
      pause();
      return -1;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
