package dev.kos.lb;

import dev.kos.lb.core.RetryPolicy;
import dev.kos.lb.core.Strategy;
import java.time.Duration;
import java.util.Optional;

/**
 * How one {@code kos lb} runs.
 *
 * @param name names this balancer on the bus (its access log's task id, its metrics' source)
 * @param bindHost the address its listeners bind to
 * @param pathPort the port on which {@code /APP-ID/...} reaches app APP-ID, if any
 * @param maxPerBackend the most requests in flight to one backend (0: no limit)
 * @param connectTimeout how long a connection to a backend may take before the backend counts as refusing
 * @param accessLog whether each request is logged to {@code kos.logs}
 * @param metricsInterval how often request counts go to {@code kos.metrics}; zero for never
 */
public record LbSettings(String name, String bindHost, Optional<Integer> pathPort, Strategy strategy,
    int maxPerBackend, RetryPolicy retries, Duration connectTimeout, boolean accessLog, Duration metricsInterval) {

  public static LbSettings defaults(String name) {
    return new LbSettings(name, "0.0.0.0", Optional.empty(), Strategy.LEAST_CONNECTIONS, 256, RetryPolicy.DEFAULT,
        Duration.ofSeconds(2), true, Duration.ofSeconds(10));
  }

  public LbSettings withPathPort(int port) {
    return new LbSettings(name, bindHost, Optional.of(port), strategy, maxPerBackend, retries, connectTimeout,
        accessLog, metricsInterval);
  }

  public LbSettings withBindHost(String host) {
    return new LbSettings(name, host, pathPort, strategy, maxPerBackend, retries, connectTimeout, accessLog,
        metricsInterval);
  }
}
