package dev.kos.cli.lb;

import dev.kos.bus.metrics.MetricsServer;
import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.MetricsOptions;
import dev.kos.cli.common.UntilStopped;
import dev.kos.lb.KosLb;
import dev.kos.lb.LbSettings;
import dev.kos.lb.core.RetryPolicy;
import dev.kos.lb.core.Strategy;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kos lb}: the edge load balancer, in the foreground (docs/load-balancing.md). */
@Command(name = "lb", mixinStandardHelpOptions = true,
    description = {
        "Run kos lb, the edge load balancer: it follows kos.endpoints (which the apps",
        "framework keeps: each app's instances that are RUNNING and healthy) and",
        "proxies HTTP to them. An app whose spec has \"loadBalancer\": {\"port\": 10080}",
        "is served on that port; with --http-port, every app is also reached by path:",
        "http://HOST:PORT/APP-ID/... (the app sees the path below its id). Requests",
        "carry X-Forwarded-For/-Host/-Proto/-Port. An instance leaves the backends as",
        "soon as it leaves kos.endpoints, which the framework does a grace period",
        "before it kills it; a request whose connection is refused is tried on",
        "another instance (any method), one broken after it was sent only if its",
        "method is idempotent. An app with \"protocol\": \"tcp\" in its loadBalancer is",
        "relayed byte for byte instead: each connection to one instance, chosen as for",
        "HTTP; a refused connect tries the next instance; a leaving instance keeps its",
        "open connections but gets no new one (no path route for TCP apps).",
        "Each request (TCP: each connection) is logged to kos.logs (key lb:NAME);",
        "counts go to kos.metrics every --metrics-interval. A record of kos.endpoints",
        "it cannot read goes to kos.dead-letters and the balancer keeps serving. Runs",
        "until Ctrl-C or SIGTERM."})
public final class LbCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  BusOptions bus;

  @Option(names = "--name", paramLabel = "NAME", defaultValue = "lb",
      description = "This balancer's name on the bus: access log key lb:NAME, metrics source (default: ${DEFAULT-VALUE})")
  String name;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "The address its listeners bind to (default: ${DEFAULT-VALUE})")
  String bind;

  @Option(names = "--http-port", paramLabel = "PORT",
      description = "Also serve every app by path on this port (/APP-ID/...); none by default")
  Integer httpPort;

  @Option(names = "--strategy", paramLabel = "STRATEGY", defaultValue = "LEAST_CONNECTIONS",
      description = "ROUND_ROBIN or LEAST_CONNECTIONS (default: ${DEFAULT-VALUE})")
  Strategy strategy;

  @Option(names = "--max-per-backend", paramLabel = "N", defaultValue = "256",
      description = "The most requests (TCP: connections) in flight to one instance; 0 for no limit "
          + "(default: ${DEFAULT-VALUE})")
  int maxPerBackend;

  @Option(names = "--max-tries", paramLabel = "N", defaultValue = "5",
      description = "The most instances one request (TCP: connection) is tried on (default: ${DEFAULT-VALUE})")
  int maxTries;

  @Option(names = "--no-access-log", description = "Do not log each request to kos.logs")
  boolean noAccessLog;

  @Option(names = "--metrics-interval", paramLabel = "SECONDS", defaultValue = "10",
      description = "How often request counts go to kos.metrics; 0 for never (default: ${DEFAULT-VALUE})")
  int metricsSeconds;

  @Mixin
  MetricsOptions metrics;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    LbSettings settings = new LbSettings(name, bind, Optional.ofNullable(httpPort), strategy, maxPerBackend,
        new RetryPolicy(maxTries), Duration.ofSeconds(2), !noAccessLog, Duration.ofSeconds(metricsSeconds));
    Optional<MetricsServer> served = metrics.serve(out);
    KosLb lb;
    try {
      lb = new KosLb(bus.connect(), settings, Clock.systemUTC()).start();
    } catch (RuntimeException e) {
      MetricsOptions.close(served);
      throw e;
    }
    UntilStopped life = UntilStopped.onStop("lb", () -> {
      try {
        lb.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      MetricsOptions.close(served);
      out.println("kos lb " + name + " stopped");
      out.flush();
    });
    out.printf("kos lb %s following kos.endpoints on %s%s; Ctrl-C stops it%n", name, bus.bootstrapServers(),
        lb.edge().pathPort().map(p -> ", apps by path on " + bind + ":" + p).orElse(""));
    out.flush();
    life.await();
    return 0;
  }
}
