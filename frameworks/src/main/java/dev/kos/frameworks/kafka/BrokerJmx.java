package dev.kos.frameworks.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads brokers' bytes in and out over their remote JMX ({@code kafka.server:type=BrokerTopicMetrics}), which the
 * Admin API does not expose, as the read-only user {@link BrokerScript#JMX_USER}. A connection is kept per endpoint and dropped on any failure; a broker that does not
 * answer within {@link #TIMEOUT} yields nothing this time, and the next sample tries again.
 */
final class BrokerJmx implements AutoCloseable {

  /** A broker's traffic: one-minute rates, and totals since it started. */
  record Traffic(double bytesInPerSec, double bytesOutPerSec, long bytesIn, long bytesOut) {
  }

  static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(BrokerJmx.class);
  private static final ObjectName BYTES_IN = name("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec");
  private static final ObjectName BYTES_OUT = name("kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec");

  private final Map<String, JMXConnector> connections = new HashMap<>();
  private final ExecutorService connecting = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "kafka-jmx-connect");
    thread.setDaemon(true);
    return thread;
  });

  /**
   * The broker's traffic, or empty when its JMX cannot be read now (starting, stopped, unreachable, or it refused
   * the password).
   */
  Optional<Traffic> read(String host, int port, String secret) {
    String endpoint = host + ":" + port;
    try {
      MBeanServerConnection server = connection(endpoint, secret).getMBeanServerConnection();
      return Optional.of(new Traffic(
          ((Number) server.getAttribute(BYTES_IN, "OneMinuteRate")).doubleValue(),
          ((Number) server.getAttribute(BYTES_OUT, "OneMinuteRate")).doubleValue(),
          ((Number) server.getAttribute(BYTES_IN, "Count")).longValue(),
          ((Number) server.getAttribute(BYTES_OUT, "Count")).longValue()));
    } catch (IOException | JMException | TimeoutException | ExecutionException | SecurityException e) {
      log.debug("no JMX reading from broker at {}: {}", endpoint, e.toString());
      drop(endpoint);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private JMXConnector connection(String endpoint, String secret)
      throws IOException, TimeoutException, ExecutionException, InterruptedException {
    JMXConnector existing = connections.get(endpoint);
    if (existing != null) {
      return existing;
    }
    Map<String, Object> credentials = Map.of(JMXConnector.CREDENTIALS, new String[] {BrokerScript.JMX_USER, secret});
    JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + endpoint + "/jmxrmi");
    // JMXConnectorFactory has no timeout of its own; an unreachable host must not hold up the other brokers.
    JMXConnector connector = CompletableFuture.supplyAsync(() -> {
      try {
        return JMXConnectorFactory.connect(url, credentials);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, connecting).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    connections.put(endpoint, connector);
    return connector;
  }

  private void drop(String endpoint) {
    JMXConnector connector = connections.remove(endpoint);
    if (connector != null) {
      try {
        connector.close();
      } catch (IOException e) {
        log.debug("closing JMX connection to {}: {}", endpoint, e.toString());
      }
    }
  }

  private static ObjectName name(String name) {
    try {
      return new ObjectName(name);
    } catch (JMException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    connections.keySet().stream().toList().forEach(this::drop);
    connecting.shutdownNow();
  }
}
