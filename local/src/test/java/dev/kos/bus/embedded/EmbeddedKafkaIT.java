package dev.kos.bus.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
  void shouldStopTheBrokerWhenItsLauncherIsKilledOutright() throws Exception {
    Process launcher = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        LauncherThatHangs.class.getName(), dataDir.toString())
        .redirectErrorStream(true)
        .start();
    long brokerPid = readBrokerPid(launcher);

    launcher.destroyForcibly();

    ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
    broker.onExit().get(30, TimeUnit.SECONDS);
    assertThat(broker.isAlive()).isFalse();
  }

  private static long readBrokerPid(Process launcher) throws IOException {
    try (BufferedReader output = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = output.readLine()) != null) {
        if (line.startsWith(LauncherThatHangs.READY_PREFIX)) {
          return Long.parseLong(line.substring(LauncherThatHangs.READY_PREFIX.length()));
        }
      }
    }
    throw new AssertionError("the launcher exited before its broker answered");
  }

  @Test
  void shouldShowTheBrokerLogWhenTheBrokerDoesNotAnswerInTime() throws Exception {
    EmbeddedKafkaSettings impatient = onDataDir().withStartTimeout(Duration.ofMillis(1));

    assertThatThrownBy(() -> EmbeddedKafka.start(impatient))
        .isInstanceOf(EmbeddedKafkaException.class)
        .hasMessageContaining("did not answer")
        .hasMessageContaining("lines of " + dataDir.resolve("logs").resolve("broker.log"));
    String meta = Files.readString(dataDir.resolve("kafka-logs").resolve("meta.properties"));
    assertThat(meta).as("storage was formatted before the start failed").contains("node.id=1");
    assertThat(dataDir.resolve("broker.pid")).as("a failed start cleans up like a stop").doesNotExist();
  }
}
