package dev.kos.bus.embedded;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a data directory ready for a broker start: inspects it, carries out the
 * {@link DataDirDecision} (format, reuse or refuse) and writes the generated configuration.
 */
final class DataDirPreparation {

  private static final Logger log = LoggerFactory.getLogger(DataDirPreparation.class);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);

  private DataDirPreparation() {}

  /** The cluster id and ports to start with; throws {@link EmbeddedKafkaException} on refusal. */
  static BrokerRecord prepare(BrokerLayout layout, EmbeddedKafkaSettings settings) throws IOException {
    DataDirSnapshot found = DataDirInspector.inspect(layout);
    DataDirVerdict verdict = DataDirDecision.decide(found, settings.ports(), Ports::inUse);
    if (verdict instanceof DataDirVerdict.Refuse refuse) {
      throw new EmbeddedKafkaException(refuse.reason());
    }
    Files.createDirectories(layout.logsDir());
    AtomicFiles.write(layout.logbackConfig(), BrokerLogbackConfig.render(layout.brokerLog()));
    BrokerRecord record;
    if (verdict instanceof DataDirVerdict.Reuse reuse) {
      reuse.crashedBrokerPid().ifPresent(pid -> log.warn(
          "The previous broker (pid {}) in {} was not stopped by its launcher (crash or kill); reusing its data",
          pid, layout.root()));
      record = reuse.record();
      writeServerProperties(layout, record, settings);
    } else {
      BrokerPorts ports = Ports.chooseFree(((DataDirVerdict.Format) verdict).ports());
      record = new BrokerRecord(Uuid.randomUuid().toString(), DataDirDecision.NODE_ID, ports);
      writeServerProperties(layout, record, settings);
      log.info("Formatting Kafka storage in {} for cluster {}", layout.kafkaLogDir(), record.clusterId());
      StorageFormatter.format(layout, record.clusterId(), List.of(BrokerLogbackConfig.jvmOption(layout.logbackConfig())), FORMAT_TIMEOUT);
    }
    // Written after formatting succeeds, and again on reuse since explicit ports may have changed.
    writeRecord(layout, record);
    return record;
  }

  /**
   * Rendered at every start from the settings, never compared with the previous file: the
   * overrides of a restart apply whether they match the last start's or not.
   */
  private static void writeServerProperties(BrokerLayout layout, BrokerRecord record, EmbeddedKafkaSettings settings)
      throws IOException {
    AtomicFiles.write(layout.serverProperties(),
        ServerProperties.render(record.nodeId(), record.ports(), layout.kafkaLogDir(), settings.serverOverrides()));
  }

  private static void writeRecord(BrokerLayout layout, BrokerRecord record) throws IOException {
    StringWriter text = new StringWriter();
    record.toProperties().store(text, "kos embedded broker: cluster id and ports, kept across restarts");
    AtomicFiles.write(layout.record(), text.toString());
  }
}
