package dev.kos.frameworks.kafka;

import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.edge.KafkaAvro;
import dev.kos.model.CommandSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The shell command of a broker task. It writes the broker's server.properties into its volume on every start
 * (so a config change takes effect on the next start), formats the storage once, on the first start, and then
 * becomes the broker ({@code exec}), so the agent's SIGTERM reaches the broker for a controlled shutdown. It runs
 * the classpath of the Kafka release the launch names: an upgrade is a rolling restart onto another classpath.
 * The broker logs into {@code broker.log} on its volume; stdout and stderr stay quiet.
 */
final class BrokerScript {

  /** This JVM's classpath: what {@link KafkaFrameworkSettings#defaults()} runs brokers from. */
  private static final String OWN_CLASSPATH = System.getProperty("java.class.path", "");
  static final String VOLUME = "$KOS_VOLUME_" + KafkaAvro.VOLUME_PATH.toUpperCase();
  private static final String END = "KOS_END_OF_FILE";
  private static final String LOGBACK = """
      <configuration>
        <appender name="FILE" class="ch.qos.logback.core.FileAppender">
          <file>${KOS_VOLUME_KAFKA}/broker.log</file>
          <encoder><pattern>%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
        </appender>
        <root level="INFO"><appender-ref ref="FILE"/></root>
      </configuration>
      """;

  private BrokerScript() {
  }

  /** The JMX user the framework reads brokers' traffic as; its role is read-only. */
  static final String JMX_USER = "kos-monitor";

  /**
   * @param jmxSecret the password of {@link #JMX_USER}, handed to the task in its environment (not on its command
   *     line) and written into an owner-only password file on the volume at each start
   */
  static CommandSpec command(KafkaFrameworkSettings settings, String clusterId, String jmxSecret,
      Action.Launch launch) {
    Map<String, String> serverProperties = launch.serverProperties();
    double memMb = launch.resources().mem();
    // Sorted by key: the same settings always give the same script, whatever map the caller used.
    String properties = serverProperties.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
    if (properties.contains(END)) {
      throw new IllegalArgumentException("broker settings may not contain " + END);
    }
    List<String> jvm = new ArrayList<>(List.of("-Xms" + heapMb(memMb) + "m", "-Xmx" + heapMb(memMb) + "m"));
    jvm.addAll(settings.brokerJvmOptions());
    jvm.addAll(jmx(launch.hostname(), launch.jmxPort()));
    jvm.add("-Dlogback.configurationFile=\"$dir/logback.xml\"");
    String classpath = settings.classpath(launch.version());
    // kos's own classpath (the default release): a broker the agent runs as another user than its own (kos agent
    // --task-user) reads it from the agent's readable mirror, KOS_CLASSPATH, as kos's jars may sit where only root
    // may enter. Another release's classpath is the operator's to keep readable.
    String cp = classpath.equals(OWN_CLASSPATH) ? "${KOS_CLASSPATH:-$KOS_KAFKA_CLASSPATH}" : "$KOS_KAFKA_CLASSPATH";
    String shell = String.join("\n",
        "set -e",
        "dir=\"" + VOLUME + "\"",
        "cat > \"$dir/server.properties\" <<'" + END + "'",
        properties,
        END,
        "echo \"log.dirs=$dir/logs\" >> \"$dir/server.properties\"",
        "rm -f \"$dir/jmxremote.password\"",
        "(umask 077 && printf '" + JMX_USER + " %s\\n' \"$KOS_JMX_SECRET\" > \"$dir/jmxremote.password\")",
        "echo '" + JMX_USER + " readonly' > \"$dir/jmxremote.access\"",
        "cat > \"$dir/logback.xml\" <<'" + END + "'",
        LOGBACK.strip(),
        END,
        "if [ ! -f \"$dir/logs/meta.properties\" ]; then",
        "  \"$KOS_JAVA\" -Xmx128m -Dlogback.configurationFile=\"$dir/logback.xml\" -cp \"" + cp + "\" "
            + "kafka.tools.StorageTool format --cluster-id " + clusterId + " --config \"$dir/server.properties\"",
        "fi",
        "exec \"$KOS_JAVA\" " + String.join(" ", jvm) + " -cp \"" + cp + "\" kafka.Kafka "
            + "\"$dir/server.properties\"");
    return CommandSpec.shell(shell)
        .withEnv(Map.of("KOS_JAVA", settings.java(), "KOS_KAFKA_CLASSPATH", classpath,
            "KOS_JMX_SECRET", jmxSecret));
  }

  /**
   * Remote JMX on the broker's reserved JMX port, so the framework can read the broker's bytes in and out (the
   * Admin API does not expose them). One port for the registry and the RMI server, and the agent's hostname in
   * the stubs, so it is reachable from another host. Password authentication with one read-only user: an
   * unauthenticated JMX port would let anyone who reaches it run code in the broker. No TLS: see
   * docs/kafka-framework.md.
   */
  static List<String> jmx(String hostname, int port) {
    return List.of("-Dcom.sun.management.jmxremote.port=" + port, "-Dcom.sun.management.jmxremote.rmi.port=" + port,
        "-Dcom.sun.management.jmxremote.authenticate=true",
        "-Dcom.sun.management.jmxremote.password.file=\"$dir/jmxremote.password\"",
        "-Dcom.sun.management.jmxremote.access.file=\"$dir/jmxremote.access\"",
        "-Dcom.sun.management.jmxremote.ssl=false", "-Dcom.sun.management.jmxremote.local.only=false",
        "-Djava.rmi.server.hostname=" + hostname);
  }

  /** Half the task's memory for the heap: the rest is metaspace, thread stacks, buffers and the page cache. */
  static long heapMb(double memMb) {
    return Math.max(128, (long) (memMb / 2));
  }
}
