package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.cli.common.BusOptions;
import dev.kos.cli.common.UsageProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class BusOptionsTest {

  @TempDir
  Path dir;

  @Command
  static final class Probe {
    @Mixin
    BusOptions bus;
  }

  @Test
  void shouldPassTheClientConfigFileToEveryClientOfTheBus() throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), """
        security.protocol=SASL_PLAINTEXT
        sasl.mechanism=PLAIN
        """);

    BusOptions bus = parse("--bootstrap-server", "k:9092", "--schema-registry", "http://r", "--client-config",
        file.toString());

    assertThat(bus.settings().clientConfig()).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "PLAIN");
    assertThat(bus.adminConfig()).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("bootstrap.servers", "k:9092");
  }

  @Test
  void shouldSayWhatToDoWhenTheClientConfigCannotBeRead() {
    BusOptions bus = parse("--bootstrap-server", "k:9092", "--client-config", dir.resolve("none").toString());

    assertThatThrownBy(bus::adminConfig).isInstanceOf(UsageProblem.class)
        .hasMessageContaining("cannot read the client config").hasMessageContaining("--client-config");
  }

  @Test
  void shouldRefuseAClientConfigThatNamesTheBootstrapServers() throws Exception {
    Path file = Files.writeString(dir.resolve("client.properties"), "bootstrap.servers=elsewhere:9092\n");

    BusOptions bus = parse("--bootstrap-server", "k:9092", "--schema-registry", "http://r", "--client-config",
        file.toString());

    assertThatThrownBy(bus::settings).isInstanceOf(UsageProblem.class).hasMessageContaining("--bootstrap-server");
  }

  private static BusOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.bus;
  }
}
