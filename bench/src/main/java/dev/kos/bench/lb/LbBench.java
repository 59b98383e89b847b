package dev.kos.bench.lb;

import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kos lb beside HAProxy on the same machine and the same backends (issue 19, decision 0017): requests/s at saturation
 * (a closed loop of {@code connections} keep-alive connections) and the latency added at a fixed rate (an open loop,
 * latency counted from each request's intended send time) against going to the backends directly. Three Undertow
 * backends ({@link Backends}) serve the whole benchmark; each run starts fresh balancers in front of them, kos lb's
 * HTTP side ({@link KosLbProcess}, a JVM of its own) and Debian's haproxy 2.6 ({@link Haproxy}, installed if
 * missing), and measures direct, kos lb and HAProxy in that order after a warm-up of each. The load generator is {@link HttpLoad}: plain sockets, no client library.
 *
 * <p>Usage: {@code LbBench [saturation-seconds=10] [latency-seconds=10] [rate=1000] [runs=3] [connections=64]
 * [latency-connections=16] [warmup-seconds=10]}. The warm-up matters: kos lb runs in a JVM started for the run, and
 * with one second of it a trial got an order of magnitude less throughput through kos lb than with five.
 */
public final class LbBench {

  private static final int BACKENDS = 3;

  private LbBench() {
  }

  /** The settings of one invocation. */
  record Settings(int saturationSeconds, int latencySeconds, double rate, int runs, int connections,
      int latencyConnections, int warmupSeconds) {

    static Settings parse(String[] args) {
      return new Settings(arg(args, 0, 10), arg(args, 1, 10), arg(args, 2, 1000), arg(args, 3, 3), arg(args, 4, 64),
          arg(args, 5, 16), arg(args, 6, 10));
    }

    private static int arg(String[] args, int index, int fallback) {
      return args.length > index ? Integer.parseInt(args[index]) : fallback;
    }
  }

  public static void main(String[] args) throws Exception {
    Settings settings = Settings.parse(args);
    Haproxy.ensureInstalled();
    Instant started = Instant.now();
    Machine machine = Machine.current();
    Path work = Files.createTempDirectory("kos-bench-lb");
    List<List<Figure>> perRun = new ArrayList<>();
    try (Backends backends = new Backends(BACKENDS)) {
      for (int run = 1; run <= settings.runs(); run++) {
        perRun.add(runOnce(settings, backends.addresses(), work.resolve("run-" + run)));
        System.out.println("run " + run + ": " + perRun.get(run - 1));
      }
    }
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("backends", BACKENDS + " Undertow servers in the benchmark's JVM, 1 I/O thread each, a 27-byte body");
    described.put("saturation", settings.connections() + " keep-alive connections in a closed loop for "
        + settings.saturationSeconds() + " s (after " + settings.warmupSeconds() + " s of warm-up per target)");
    described.put("latency", String.format("%.0f requests/s over %d connections for %d s, open loop",
        settings.rate(), settings.latencyConnections(), settings.latencySeconds()));
    described.put("kos lb", "EdgeServer (Undertow proxy, least connections, 256 per backend, 2 I/O threads) in a JVM of "
        + "its own, backends from its command line");
    described.put("HAProxy", "haproxy 2.6 (Debian), mode http, leastconn, maxconn 256 per server, nbthread 2, "
        + "http-reuse always, retry-on conn-failure");
    described.put("runs", settings.runs());
    List<Figure> medians = Figure.medians(perRun).stream().map(LbBench::withGoal).toList();
    List<Path> written = ResultsWriter.fromSystemProperty().write(new BenchResult("lb", started, machine,
        Versions.current(), described, medians, List.of(
            "Added latency: the percentile through the balancer minus the same percentile direct, at the same rate.",
            "The load generator and the backends share the machine with the balancer under test (2 cores here):"
                + " the figures compare the balancers with each other, not with a dedicated proxy host.",
            "Not measured here: how soon an instance joins or leaves kos lb's backend set after its health changes.")));
    written.forEach(path -> System.out.println("results: " + path));
  }

  private static Figure withGoal(Figure figure) {
    return switch (figure.name()) {
      case "kos lb: added latency p99" -> figure.withGoal("<= 1000");
      case "kos lb throughput / HAProxy's" -> figure.withGoal(">= 80");
      default -> figure;
    };
  }

  private static List<Figure> runOnce(Settings settings, List<InetSocketAddress> backends, Path dir)
      throws Exception {
    Files.createDirectories(dir);
    int lbPort = freePort();
    int haproxyPort = freePort();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path"), KosLbProcess.class.getName(),
        Integer.toString(lbPort)));
    backends.forEach(b -> command.add(Integer.toString(b.getPort())));
    Process lb = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (Haproxy haproxy = Haproxy.start(dir, haproxyPort, backends)) {
      awaitReady(lb);
      InetSocketAddress viaLb = new InetSocketAddress("127.0.0.1", lbPort);
      InetSocketAddress viaHaproxy = new InetSocketAddress("127.0.0.1", haproxyPort);
      awaitListening(viaHaproxy);
      Measured direct = measure(settings, backends);
      Measured kos = measure(settings, List.of(viaLb));
      Measured ha = measure(settings, List.of(viaHaproxy));
      List<Figure> figures = new ArrayList<>();
      figures.add(Figure.of("direct: requests/s at saturation", direct.perSecond(), "requests/s"));
      figures.add(Figure.of("kos lb: requests/s at saturation", kos.perSecond(), "requests/s"));
      figures.add(Figure.of("HAProxy: requests/s at saturation", ha.perSecond(), "requests/s"));
      figures.add(Figure.of("kos lb throughput / HAProxy's", 100 * kos.perSecond() / ha.perSecond(), "%"));
      for (Map.Entry<String, Measured> target : Map.of("direct", direct, "kos lb", kos, "HAProxy", ha).entrySet()
          .stream().sorted(Map.Entry.comparingByKey()).toList()) {
        figures.add(Figure.of(target.getKey() + ": latency p50", target.getValue().p50(), "µs"));
        figures.add(Figure.of(target.getKey() + ": latency p99", target.getValue().p99(), "µs"));
      }
      figures.add(Figure.of("kos lb: added latency p50", kos.p50() - direct.p50(), "µs"));
      figures.add(Figure.of("kos lb: added latency p99", kos.p99() - direct.p99(), "µs"));
      figures.add(Figure.of("HAProxy: added latency p50", ha.p50() - direct.p50(), "µs"));
      figures.add(Figure.of("HAProxy: added latency p99", ha.p99() - direct.p99(), "µs"));
      figures.add(Figure.of("errors (all targets, both loads)", direct.errors() + kos.errors() + ha.errors(),
          "requests"));
      return figures;
    } finally {
      lb.getOutputStream().close();
      if (!lb.waitFor(10, TimeUnit.SECONDS)) {
        lb.destroyForcibly();
      }
    }
  }

  /** One target's figures in one run. */
  record Measured(double perSecond, long p50, long p99, long errors) {
  }

  private static Measured measure(Settings settings, List<InetSocketAddress> targets) throws InterruptedException {
    HttpLoad.saturate(targets, settings.connections(), Duration.ofSeconds(settings.warmupSeconds()));
    HttpLoad.Saturation saturation = HttpLoad.saturate(targets, settings.connections(),
        Duration.ofSeconds(settings.saturationSeconds()));
    HttpLoad.Latencies latencies = HttpLoad.atRate(targets, settings.rate(), settings.latencyConnections(),
        Duration.ofSeconds(settings.latencySeconds()));
    return new Measured(saturation.perSecond(), Percentiles.of(latencies.micros(), 0.5),
        Percentiles.of(latencies.micros(), 0.99), saturation.errors() + latencies.errors());
  }

  /** Waits for the kos lb process to say it serves, passing on what it prints before. */
  private static void awaitReady(Process lb) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(lb.getInputStream(), StandardCharsets.UTF_8));
    for (String line = out.readLine(); line != null; line = out.readLine()) {
      if (line.equals("ready")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "kos-lb-output");
        drain.setDaemon(true);
        drain.start();
        return;
      }
      System.out.println("kos lb: " + line);
    }
    throw new IllegalStateException("the kos lb process ended before it served (exit " + lb.exitValue() + ")");
  }

  private static void awaitListening(InetSocketAddress address) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(address, 1000);
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("nothing listens on " + address + " after 30 s", e);
        }
        Thread.sleep(100);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
