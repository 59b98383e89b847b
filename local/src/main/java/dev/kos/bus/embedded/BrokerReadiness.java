package dev.kos.bus.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Waits until a broker answers an Admin client's describeCluster, or a deadline passes. It first
 * waits for the port to accept connections: an Admin client polling a closed port logs a warning
 * every 100 ms, which would flood the caller's log during the seconds a broker takes to start.
 */
final class BrokerReadiness {

  /** Why the wait ended. */
  enum Outcome { READY, PROCESS_EXITED, TIMED_OUT }

  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration PAUSE = Duration.ofMillis(100);

  private final InetSocketAddress address;
  private final Map<String, String> clientConfig;
  private final BooleanSupplier processAlive;
  private final Clock clock;
  private final Instant deadline;

  /**
   * @param clientConfig the security settings a client needs on the broker listener
   * @param processAlive checked between attempts so a broker that dies at start fails fast
   *     instead of after the whole timeout
   */
  private BrokerReadiness(
      InetSocketAddress address, Map<String, String> clientConfig, Duration timeout, BooleanSupplier processAlive,
      Clock clock) {
    this.address = address;
    this.clientConfig = clientConfig;
    this.processAlive = processAlive;
    this.clock = clock;
    this.deadline = clock.instant().plus(timeout);
  }

  static Outcome await(
      InetSocketAddress address, Map<String, String> clientConfig, Duration timeout, BooleanSupplier processAlive,
      Clock clock) throws InterruptedException {
    return new BrokerReadiness(address, clientConfig, timeout, processAlive, clock).await();
  }

  private Outcome await() throws InterruptedException {
    Outcome listening = pollUntil(this::acceptsConnections);
    if (listening != Outcome.READY) {
      return listening;
    }
    try (Admin admin = Admin.create(adminConfig())) {
      return pollUntil(() -> describesCluster(admin));
    }
  }

  /** The security settings, with address and timeouts of the probe laid over them. */
  private Map<String, Object> adminConfig() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address.getHostString() + ":" + address.getPort());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ATTEMPT_TIMEOUT.toMillis());
    config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, (int) PAUSE.toMillis());
    return config;
  }

  private interface Probe {
    boolean succeeds() throws InterruptedException;
  }

  private Outcome pollUntil(Probe probe) throws InterruptedException {
    while (clock.instant().isBefore(deadline)) {
      if (!processAlive.getAsBoolean()) {
        return Outcome.PROCESS_EXITED;
      }
      if (probe.succeeds()) {
        return Outcome.READY;
      }
      Thread.sleep(PAUSE.toMillis());
    }
    return Outcome.TIMED_OUT;
  }

  private boolean acceptsConnections() {
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) PAUSE.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean describesCluster(Admin admin) throws InterruptedException {
    try {
      return !admin.describeCluster().nodes().get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }
}
