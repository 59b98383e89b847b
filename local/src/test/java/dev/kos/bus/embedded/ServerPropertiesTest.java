package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ServerPropertiesTest {

  private static final BrokerPorts PORTS = new BrokerPorts(19092, 19093);
  private static final Path LOG_DIR = Path.of("/var/kos/kafka-logs");
  private static final Map<String, String> NO_OVERRIDES = Map.of();

  static Stream<Arguments> expectedSettings() {
    return Stream.of(
        Arguments.of("combined mode", "process.roles", "broker,controller"),
        Arguments.of("node id", "node.id", "1"),
        Arguments.of("the node is the only voter", "controller.quorum.voters", "1@127.0.0.1:19093"),
        Arguments.of("both listeners on loopback", "listeners", "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"),
        Arguments.of("clients are sent to the broker port", "advertised.listeners", "PLAINTEXT://127.0.0.1:19092"),
        Arguments.of("log dir", "log.dirs", "/var/kos/kafka-logs"),
        Arguments.of("consumer offsets on one broker", "offsets.topic.replication.factor", "1"),
        Arguments.of("transactions on one broker", "transaction.state.log.replication.factor", "1"),
        Arguments.of("transactions need min ISR 1", "transaction.state.log.min.isr", "1"),
        Arguments.of("share groups on one broker", "share.coordinator.state.topic.replication.factor", "1"),
        Arguments.of("no rebalance delay", "group.initial.rebalance.delay.ms", "0"),
        Arguments.of("topics come from the catalogue only", "auto.create.topics.enable", "false"),
        Arguments.of("one partition by default", "num.partitions", "1"));
  }

  @ParameterizedTest(name = "{0}: {1}={2}")
  @MethodSource("expectedSettings")
  void shouldRenderSetting(String why, String key, String value) throws IOException {
    Properties rendered = parse(ServerProperties.render(1, PORTS, LOG_DIR, NO_OVERRIDES));

    assertThat(rendered.getProperty(key)).isEqualTo(value);
  }

  @Test
  void shouldRenderEverySettingOnceAsAPropertiesFile() throws IOException {
    Map<String, String> settings = ServerProperties.settings(1, PORTS, LOG_DIR);

    assertThat(parse(ServerProperties.render(1, PORTS, LOG_DIR, NO_OVERRIDES))).containsExactlyInAnyOrderEntriesOf(settings);
  }

  @Test
  void shouldKeepBackslashesInPathsLiteral() throws IOException {
    Path windowsLike = Path.of("C:\\kos\\kafka-logs");

    assertThat(parse(ServerProperties.render(1, PORTS, windowsLike, NO_OVERRIDES)).getProperty("log.dirs"))
        .isEqualTo(windowsLike.toAbsolutePath().toString());
  }

  @Test
  void shouldLetAnOverrideWinOverTheGeneratedValueAndKeepItsPlace() {
    Map<String, String> overrides = Map.of("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");

    Map<String, String> settings = ServerProperties.settings(1, PORTS, LOG_DIR, overrides);

    assertThat(settings).containsEntry("listener.security.protocol.map", "PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    assertThat(List.copyOf(settings.keySet()))
        .as("the file keeps its order")
        .isEqualTo(List.copyOf(ServerProperties.settings(1, PORTS, LOG_DIR).keySet()));
  }

  @Test
  void shouldAppendNewKeysInKeyOrderAfterTheGeneratedOnes() {
    Map<String, String> overrides = Map.of("super.users", "User:admin", "authorizer.class.name", "Standard");

    Map<String, String> settings = ServerProperties.settings(1, PORTS, LOG_DIR, overrides);

    assertThat(settings).containsAllEntriesOf(ServerProperties.settings(1, PORTS, LOG_DIR));
    assertThat(List.copyOf(settings.keySet())).endsWith("authorizer.class.name", "super.users");
  }

  @Test
  void shouldRenderAnOverrideWithALineBreakAsOneSetting() throws IOException {
    Map<String, String> overrides = Map.of("sasl.jaas.config", "Module required\nnode.id=7;");

    Properties rendered = parse(ServerProperties.render(1, PORTS, LOG_DIR, overrides));

    assertThat(rendered.getProperty("sasl.jaas.config")).isEqualTo("Module required\nnode.id=7;");
    assertThat(rendered.getProperty("node.id")).isEqualTo("1");
  }

  @Test
  void shouldRefusePortsThatAreNotChosenYet() {
    assertThatThrownBy(() -> ServerProperties.render(1, new BrokerPorts(19092, 0), LOG_DIR, NO_OVERRIDES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not chosen");
  }

  private static Properties parse(String text) throws IOException {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return properties;
  }

  @ParameterizedTest(name = "{0} nodes -> internal topics replicated {1}, min ISR {2}")
  @org.junit.jupiter.params.provider.CsvSource({"1, 1, 1", "2, 2, 1", "3, 3, 2", "5, 3, 2"})
  void shouldReplicateAClustersInternalTopicsLikeKosTopics(int nodes, String replication, String minIsr) {
    Map<String, String> settings = ServerProperties.clusterSettings(2, PORTS, LOG_DIR,
        "1@127.0.0.1:1,2@127.0.0.1:19093,3@127.0.0.1:3", nodes, NO_OVERRIDES);

    assertThat(settings).containsEntry("node.id", "2")
        .containsEntry("controller.quorum.voters", "1@127.0.0.1:1,2@127.0.0.1:19093,3@127.0.0.1:3")
        .containsEntry("offsets.topic.replication.factor", replication)
        .containsEntry("transaction.state.log.replication.factor", replication)
        .containsEntry("transaction.state.log.min.isr", minIsr)
        .containsEntry("default.replication.factor", replication);
  }
}
