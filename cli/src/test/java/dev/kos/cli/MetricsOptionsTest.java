package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.metrics.MetricsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Where a long-running command serves its metrics: the flag, its variable, its config key, its default. */
class MetricsOptionsTest {

  @TempDir
  Path home;

  private MetricsSettings allocatorSettings(Map<String, String> env, String... args) {
    Map<String, String> withHome = new HashMap<>(env);
    withHome.put("KOS_HOME", home.toString());
    CommandLine kos = Kos.commandLine(withHome, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    CommandLine.ParseResult parsed = kos.parseArgs(args);
    return ((AllocatorCommand) parsed.subcommand().commandSpec().userObject()).metrics.settings();
  }

  @Test
  void shouldServeOnAFreeLoopbackPortUnlessToldOtherwise() throws Exception {
    assertThat(allocatorSettings(Map.of(), "allocator")).isEqualTo(new MetricsSettings("127.0.0.1", 0));
    assertThat(allocatorSettings(Map.of(), "allocator", "--metrics-port", "9464", "--metrics-host", "0.0.0.0"))
        .isEqualTo(new MetricsSettings("0.0.0.0", 9464));
    assertThat(allocatorSettings(Map.of("KOS_METRICS_PORT", "-1"), "allocator").enabled()).isFalse();
    Files.writeString(home.resolve("config.properties"), "metrics-port=9465\n");
    assertThat(allocatorSettings(Map.of(), "allocator").port()).isEqualTo(9465);
  }

  @Test
  void shouldStopWithExitCodeTwoOnAPortOutOfRangeBeforeStartingAnything() {
    StringWriter err = new StringWriter();
    int code = Kos.run(Map.of("KOS_HOME", home.toString()), new PrintWriter(new StringWriter()),
        new PrintWriter(err, true), "allocator", "--metrics-port", "70000", "--bootstrap-server", "127.0.0.1:1");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("kos: the metrics port must be 0 to 65535, or -1 for none; it was 70000");
  }
}
