package dev.kos.frameworks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.StandardMBean;
import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.security.auth.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads the meters a broker exposes, from a JMX server in this JVM that carries them under Kafka's names. */
class BrokerJmxTest {

  /** The attributes of a Kafka (Yammer) meter that the framework reads. */
  public interface Meter {
    double getOneMinuteRate();

    long getCount();
  }

  private record FixedMeter(double oneMinuteRate, long count) implements Meter {
    @Override
    public double getOneMinuteRate() {
      return oneMinuteRate;
    }

    @Override
    public long getCount() {
      return count;
    }
  }

  private static final String SECRET = "s3cret";

  private int port;
  private Registry registry;
  private JMXConnectorServer server;
  private final BrokerJmx jmx = new BrokerJmx();

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    MBeanServer beans = MBeanServerFactory.newMBeanServer();
    beans.registerMBean(new StandardMBean(new FixedMeter(1500.5, 90_000), Meter.class),
        new ObjectName("kafka.server:type=BrokerTopicMetrics,name=BytesInPerSec"));
    beans.registerMBean(new StandardMBean(new FixedMeter(3000.25, 180_000), Meter.class),
        new ObjectName("kafka.server:type=BrokerTopicMetrics,name=BytesOutPerSec"));
    registry = LocateRegistry.createRegistry(port);
    // As the broker's password file does: only kos-monitor with its password gets in.
    JMXAuthenticator passwordFile = credentials -> {
      String[] userAndPassword = (String[]) credentials;
      if (userAndPassword == null || !"kos-monitor".equals(userAndPassword[0])
          || !SECRET.equals(userAndPassword[1])) {
        throw new SecurityException("wrong user or password");
      }
      return new Subject();
    };
    server = JMXConnectorServerFactory.newJMXConnectorServer(
        new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi"),
        Map.of(JMXConnectorServer.AUTHENTICATOR, passwordFile), beans);
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    jmx.close();
    server.stop();
    UnicastRemoteObject.unexportObject(registry, true);
  }

  @Test
  void shouldReadTheBrokersBytesInAndOut() {
    assertThat(jmx.read("127.0.0.1", port, SECRET)).hasValue(new BrokerJmx.Traffic(1500.5, 3000.25, 90_000,
        180_000));
    assertThat(jmx.read("127.0.0.1", port, SECRET)).as("again, on the kept connection").isPresent();
  }

  @Test
  void shouldYieldNothingWhenTheBrokerRefusesThePassword() {
    assertThat(jmx.read("127.0.0.1", port, "guess")).isEmpty();
    assertThat(jmx.read("127.0.0.1", port, SECRET)).as("then the right one").isPresent();
  }

  @Test
  void shouldYieldNothingForABrokerWhoseJmxDoesNotAnswer() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }

    assertThat(jmx.read("127.0.0.1", closed, SECRET)).isEmpty();
  }
}
