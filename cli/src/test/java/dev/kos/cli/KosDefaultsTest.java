package dev.kos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.common.FromEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class KosDefaultsTest {

  @TempDir
  Path dir;

  static Stream<Arguments> sources() {
    return Stream.of(
        Arguments.of("environment wins", "from-env", "from-config", "from-cluster", "from-env"),
        Arguments.of("config file next", null, "from-config", "from-cluster", "from-config"),
        Arguments.of("cluster file of kos up next", null, null, "from-cluster", "from-cluster"),
        Arguments.of("declared default last", null, null, null, "declared"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void shouldTakeEachSettingFromTheFirstSourceThatHasIt(String name, String env, String config, String cluster,
      String expected) throws IOException {
    Path configFile = write("config.properties", config);
    Path clusterFile = write("cluster.properties", cluster);
    KosDefaults defaults = new KosDefaults(env == null ? Map.of() : Map.of("KOS_BOOTSTRAP_SERVER", env),
        configFile, clusterFile);
    OptionSpec option = new CommandLine(new Holder()).getCommandSpec().findOption("--bootstrap-server");

    assertThat(defaults.defaultValue(option)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void shouldApplyThePrecedenceThroughPicocli(String name, String env, String config, String cluster, String expected)
      throws IOException {
    KosDefaults defaults = new KosDefaults(env == null ? Map.of() : Map.of("KOS_BOOTSTRAP_SERVER", env),
        write("config.properties", config), write("cluster.properties", cluster));
    Holder holder = new Holder();
    new CommandLine(holder).setDefaultValueProvider(defaults).parseArgs();

    assertThat(holder.bootstrap).isEqualTo(expected);
  }

  static final class Holder {
    @FromEnvironment
    @CommandLine.Option(names = "--bootstrap-server", defaultValue = "declared")
    String bootstrap;

    @CommandLine.Option(names = "--java-opts", defaultValue = "declared")
    String javaOpts;

    @CommandLine.Option(names = "--version", versionHelp = true)
    boolean version;

    @CommandLine.Option(names = "--help", usageHelp = true)
    boolean help;
  }

  /**
   * Only options marked {@link FromEnvironment} read it: a user's KOS_JAVA_OPTS (bin/kos's own JVM options),
   * KOS_VERSION or KOS_HELP means nothing to kos's options; --help and --version never come from a file either.
   */
  @org.junit.jupiter.api.Test
  void shouldReadTheEnvironmentOnlyForOptionsMarkedSo() throws IOException {
    Path config = dir.resolve("config.properties");
    Files.writeString(config, "help=true\nversion=true\n");
    KosDefaults defaults = new KosDefaults(Map.of("KOS_JAVA_OPTS", "-Xmx1g", "KOS_VERSION", "4.3.1", "KOS_HELP", "yes"),
        config, dir.resolve("none.properties"));
    Holder holder = new Holder();
    new CommandLine(holder).setDefaultValueProvider(defaults).parseArgs();

    assertThat(holder.javaOpts).isEqualTo("declared");
    assertThat(holder.version).isFalse();
    assertThat(holder.help).isFalse();
  }

  private Path write(String file, String bootstrap) throws IOException {
    Path path = dir.resolve(file);
    Files.deleteIfExists(path);
    if (bootstrap != null) {
      Files.writeString(path, "bootstrap-server=" + bootstrap + "\n");
    }
    return path;
  }
}
