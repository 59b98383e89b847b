package dev.kos.bus.embedded;

import dev.kos.local.forked.ForkedJvm;
import dev.kos.local.forked.LogTail;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Formats a broker's storage with Kafka's own {@code kafka.tools.StorageTool}. It runs in a
 * forked JVM because the tool exits the JVM when it is done and configures logging globally.
 */
final class StorageFormatter {

  private static final String STORAGE_TOOL = "kafka.tools.StorageTool";

  private StorageFormatter() {}

  static void format(BrokerLayout layout, String clusterId, List<String> jvmOptions, Duration timeout) {
    ForkedJvm tool = ForkedJvm.onThisClasspath(
        jvmOptions,
        STORAGE_TOOL,
        List.of("format", "--cluster-id", clusterId, "--config", layout.serverProperties().toString()));
    try {
      Process process = tool.start(layout.consoleLog());
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw failure(layout, "did not finish within " + timeout.toSeconds() + " s");
      }
      if (process.exitValue() != 0) {
        throw failure(layout, "exited with code " + process.exitValue());
      }
    } catch (IOException e) {
      throw new EmbeddedKafkaException("Cannot run " + STORAGE_TOOL + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted while formatting " + layout.kafkaLogDir(), e);
    }
  }

  private static EmbeddedKafkaException failure(BrokerLayout layout, String what) {
    return new EmbeddedKafkaException(String.format(
        "Formatting Kafka storage in %s %s.%n%s",
        layout.kafkaLogDir(), what, LogTail.lastLines(layout.consoleLog(), 40)));
  }
}
