package dev.kos.bus.embedded;

import java.nio.file.Path;

/** Where each file of an embedded broker lives inside its data directory. */
public record BrokerLayout(Path root) {

  /** kos's record of cluster id and ports; see {@link BrokerRecord}. */
  public static final String RECORD_FILE = "kos-broker.properties";

  public Path record() {
    return root.resolve(RECORD_FILE);
  }

  /** Present while a broker started by kos runs; removed on a clean stop. */
  public Path pidFile() {
    return root.resolve("broker.pid");
  }

  /** Regenerated at every start, so a kos upgrade can change settings of an existing directory. */
  public Path serverProperties() {
    return root.resolve("server.properties");
  }

  public Path logbackConfig() {
    return root.resolve("broker-logback.xml");
  }

  /** Kafka's {@code log.dirs}: partitions, the metadata log, meta.properties and .lock. */
  public Path kafkaLogDir() {
    return root.resolve("kafka-logs");
  }

  public Path metaProperties() {
    return kafkaLogDir().resolve("meta.properties");
  }

  public Path kafkaLock() {
    return kafkaLogDir().resolve(".lock");
  }

  public Path logsDir() {
    return root.resolve("logs");
  }

  public Path brokerLog() {
    return logsDir().resolve("broker.log");
  }

  /** The forked JVMs' stdout and stderr: JVM crashes and anything that bypasses logging. */
  public Path consoleLog() {
    return logsDir().resolve("console.log");
  }
}
