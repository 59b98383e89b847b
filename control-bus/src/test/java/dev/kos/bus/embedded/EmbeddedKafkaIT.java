package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lifecycle of the launcher itself; each test starts its own brokers. */
class EmbeddedKafkaIT {

  @TempDir
  Path dataDir;

  private EmbeddedKafkaSettings onDataDir() {
    return EmbeddedKafkaSettings.defaults().withDataDir(dataDir);
  }

  @Test
  void shouldKeepRecordsAndPortWhenRestartedOnTheSameDataDir() throws Exception {
    String firstAddress;
    String clusterId;
    try (EmbeddedKafka first = EmbeddedKafka.start(onDataDir())) {
      firstAddress = first.bootstrapServers();
      clusterId = first.clusterId();
      TestClients.createTopic(firstAddress, "it.restart");
      TestClients.produce(firstAddress, "it.restart", List.of("before-restart"));
    }

    try (EmbeddedKafka second = EmbeddedKafka.start(onDataDir())) {
      assertThat(second.bootstrapServers()).isEqualTo(firstAddress);
      assertThat(second.clusterId()).isEqualTo(clusterId);
      assertThat(TestClients.readCommitted(second.bootstrapServers(), "it.restart", "it-restart", 1))
          .containsExactly("before-restart");
    }
  }

  @Test
  void shouldRefuseADataDirHeldByALiveBrokerAndSayWhichPid() {
    try (EmbeddedKafka running = EmbeddedKafka.start(onDataDir())) {
      assertThatThrownBy(() -> EmbeddedKafka.start(onDataDir()))
          .isInstanceOf(EmbeddedKafkaException.class)
          .hasMessageContaining("in use by a running broker (pid " + running.pid() + ")")
          .hasMessageContaining("kill " + running.pid());
      assertThat(ProcessHandle.of(running.pid())).as("the running broker is left alone").isPresent();
    }
  }

  @Test
  void shouldStopTheProcessAndDeleteItsTemporaryDirOnClose() {
    EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaSettings.defaults());
    long pid = kafka.pid();
    Path temporaryDir = kafka.dataDir();

    kafka.close();
    kafka.close();

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(temporaryDir).doesNotExist();
  }

  @Test
  void shouldReuseTheDataDirOfABrokerThatDiedWithoutCleanup() throws Exception {
    String address;
    String clusterId;
    try (EmbeddedKafka crashed = EmbeddedKafka.start(onDataDir())) {
      address = crashed.bootstrapServers();
      clusterId = crashed.clusterId();
      ProcessHandle process = ProcessHandle.of(crashed.pid()).orElseThrow();
      process.destroyForcibly();
      process.onExit().get(20, TimeUnit.SECONDS);
      assertThat(dataDir.resolve("broker.pid")).as("a crash leaves the pid file behind").exists();

      try (EmbeddedKafka restarted = EmbeddedKafka.start(onDataDir())) {
        assertThat(restarted.bootstrapServers()).isEqualTo(address);
        assertThat(restarted.clusterId()).isEqualTo(clusterId);
      }
    }
  }

  @Test
  void shouldShowTheBrokerLogWhenTheBrokerDoesNotAnswerInTime() throws Exception {
    EmbeddedKafkaSettings impatient = onDataDir().withStartTimeout(Duration.ofMillis(1));

    assertThatThrownBy(() -> EmbeddedKafka.start(impatient))
        .isInstanceOf(EmbeddedKafkaException.class)
        .hasMessageContaining("did not answer")
        .hasMessageContaining("lines of " + dataDir.resolve("logs").resolve("broker.log"));
    String pid = Files.readString(dataDir.resolve("kafka-logs").resolve("meta.properties"));
    assertThat(pid).as("storage was formatted before the start failed").contains("node.id=1");
    assertThat(dataDir.resolve("broker.pid")).as("a failed start cleans up like a stop").doesNotExist();
  }
}
