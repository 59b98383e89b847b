package dev.kos.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class JobOptionsTest {

  @TempDir
  Path dir;

  @Command
  static final class Probe {
    @Mixin
    JobOptions options;
  }

  @Test
  void shouldHandTheClientConfigToSparksKafkaSourceAndToTheJob() throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n");

    JobOptions options = parse("--bootstrap-server", "k:9093", "--cassandra", "c:9042", "--data-dir", dir.toString(),
        "--client-config", file.toString());

    assertThat(options.kafkaSourceOptions()).containsEntry("kafka.security.protocol", "SASL_SSL")
        .containsEntry("kafka.sasl.mechanism", "PLAIN").hasSize(2);
    assertThat(parse(options.toArgs().toArray(String[]::new)).kafkaSourceOptions())
        .as("through the launcher's arguments").isEqualTo(options.kafkaSourceOptions());
  }

  @Test
  void shouldAddNothingWithoutAClientConfig() {
    JobOptions options = parse("--bootstrap-server", "k:9092", "--cassandra", "c:9042", "--data-dir", dir.toString());

    assertThat(options.kafkaSourceOptions()).isEmpty();
    assertThat(options.toArgs()).doesNotContain("--client-config");
  }

  private static JobOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.options;
  }
}
