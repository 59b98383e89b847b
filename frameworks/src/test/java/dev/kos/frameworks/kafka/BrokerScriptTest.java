package dev.kos.frameworks.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.frameworks.kafka.core.Action;
import dev.kos.frameworks.kafka.core.SelfHealing;
import dev.kos.model.CommandSpec;
import dev.kos.model.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerScriptTest {

  private static final KafkaFrameworkSettings SETTINGS = new KafkaFrameworkSettings("kafka", "kafka", "4.3.1",
      Map.of("4.3.1", "/jars/*", "4.2.2", "/kafka-4.2/*"), "/jdk/bin/java", List.of("-XX:+UseSerialGC"),
      Duration.ofSeconds(1), Duration.ofSeconds(10), 1024, "zone", SelfHealing.DEFAULTS);

  @Test
  void shouldWriteThePropertiesFormatOnceAndBecomeTheBroker() {
    CommandSpec command = BrokerScript.command(SETTINGS, "abc", "s3cret", launch("4.3.1", Map.of("node.id", "4",
        "num.io.threads", "2")));

    assertThat(command.env()).containsEntry("KOS_JAVA", "/jdk/bin/java").containsEntry("KOS_KAFKA_CLASSPATH",
        "/jars/*").containsEntry("KOS_JMX_SECRET", "s3cret");
    assertThat(command.shell().orElseThrow())
        .contains("dir=\"$KOS_VOLUME_KAFKA\"", "node.id=4\nnum.io.threads=2\n",
            "echo \"log.dirs=$dir/logs\" >> \"$dir/server.properties\"",
            "if [ ! -f \"$dir/logs/meta.properties\" ]; then",
            "kafka.tools.StorageTool format --cluster-id abc",
            "exec \"$KOS_JAVA\" -Xms384m -Xmx384m -XX:+UseSerialGC");
  }

  @Test
  void shouldOpenJmxOnTheLastReservedPortUnderTheAgentsHostnameWithAReadOnlyUser() {
    String shell = BrokerScript.command(SETTINGS, "abc", "s3cret", launch("4.3.1", Map.of())).shell().orElseThrow();

    assertThat(shell).contains("-Dcom.sun.management.jmxremote.port=26002",
        "-Dcom.sun.management.jmxremote.rmi.port=26002", "-Djava.rmi.server.hostname=host-1",
        "-Dcom.sun.management.jmxremote.authenticate=true",
        "(umask 077 && printf 'kos-monitor %s\\n' \"$KOS_JMX_SECRET\" > \"$dir/jmxremote.password\")",
        "echo 'kos-monitor readonly' > \"$dir/jmxremote.access\"");
    assertThat(shell).as("the secret stays off the command line").doesNotContain("s3cret");
  }

  @Test
  void shouldRefuseSettingsThatWouldEndTheEmbeddedFile() {
    assertThatThrownBy(() -> BrokerScript.command(SETTINGS, "abc", "s3cret", launch("4.3.1", Map.of("a", "KOS_END_OF_FILE"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldRunTheClasspathOfTheReleaseTheLaunchNames() {
    assertThat(BrokerScript.command(SETTINGS, "abc", "s3cret", launch("4.2.2", Map.of())).env())
        .containsEntry("KOS_KAFKA_CLASSPATH", "/kafka-4.2/*");
    assertThatThrownBy(() -> BrokerScript.command(SETTINGS, "abc", "s3cret", launch("4.1.0", Map.of())))
        .hasMessageContaining("no classpath for Kafka 4.1.0");
  }

  @Test
  void shouldRunKosOwnClasspathFromTheAgentsReadableMirrorWhenTheAgentGivesOne() {
    KafkaFrameworkSettings own = SETTINGS.withKafka("4.3.1", System.getProperty("java.class.path"));

    assertThat(BrokerScript.command(own, "abc", "s3cret", launch("4.3.1", Map.of())).shell().orElseThrow())
        .contains("-cp \"${KOS_CLASSPATH:-$KOS_KAFKA_CLASSPATH}\" kafka.Kafka",
            "-cp \"${KOS_CLASSPATH:-$KOS_KAFKA_CLASSPATH}\" kafka.tools.StorageTool");
    assertThat(BrokerScript.command(own, "abc", "s3cret", launch("4.2.2", Map.of())).shell().orElseThrow())
        .as("another release's classpath is the operator's").contains("-cp \"$KOS_KAFKA_CLASSPATH\" kafka.Kafka")
        .doesNotContain("KOS_CLASSPATH:-");
  }

  @Test
  void shouldRefuseSettingsWithoutTheDefaultReleasesClasspath() {
    assertThatThrownBy(() -> new KafkaFrameworkSettings("kafka", "kafka", "4.3.1", Map.of("4.2.2", "/k/*"),
        "java", List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, "zone", SelfHealing.DEFAULTS))
        .hasMessageContaining("default release");
    assertThatThrownBy(() -> SETTINGS.withKafka("latest", "/k/*")).hasMessageContaining("not a Kafka release");
  }

  private static Action.Launch launch(String version, Map<String, String> serverProperties) {
    return new Action.Launch("o1", "a1", "host-1", "demo", 4, "kafka.demo.broker-4.1", Resources.of(0.5, 768, 1024),
        List.of(26000, 26001, 26002), "kafka-demo-4", version, serverProperties);
  }

  @Test
  void shouldGiveTheHeapHalfTheMemoryAndNoLessThan128Mb() {
    assertThat(BrokerScript.heapMb(768)).isEqualTo(384);
    assertThat(BrokerScript.heapMb(200)).isEqualTo(128);
  }
}
