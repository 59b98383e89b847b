package dev.kos.analytics.cassandra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.testing.CassandraNodeExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's own lifecycle; the shared node answers the simple questions, two tests start their own. */
@ExtendWith(CassandraNodeExtension.class)
class EmbeddedCassandraIT {

  @TempDir
  Path dataDir;

  @Test
  void shouldAnswerCqlAndKeepItsLogUnderTheDataDir(EmbeddedCassandra node) {
    try (CqlSession session = CassandraSessions.open(List.of(node.cqlAddress()), Duration.ofSeconds(10))) {
      String version = session.execute("SELECT release_version FROM system.local").one().getString(0);

      assertThat(version).startsWith("5.0.");
    }
    assertThat(node.systemLog()).startsWith(node.dataDir()).isNotEmptyFile();
    assertThat(node.residentBytes()).hasValueSatisfying(rss -> assertThat(rss).isPositive());
  }

  @Test
  void shouldKeepDataAcrossARestartAndRefuseASecondNodeOnTheSameDir() {
    EmbeddedCassandraSettings settings = EmbeddedCassandraSettings.defaults().withDataDir(dataDir);
    long firstPid;
    try (EmbeddedCassandra first = EmbeddedCassandra.start(settings, CassandraSessions::probe)) {
      firstPid = first.pid();
      execute(first, "CREATE KEYSPACE restart WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
          "CREATE TABLE restart.kept (id int PRIMARY KEY, note text)",
          "INSERT INTO restart.kept (id, note) VALUES (1, 'before restart')");

      assertThatThrownBy(() -> EmbeddedCassandra.start(settings, CassandraSessions::probe))
          .isInstanceOf(EmbeddedCassandraException.class)
          .hasMessageContaining("(pid " + first.pid() + ") runs on " + dataDir.toAbsolutePath());
    }
    assertThat(ProcessHandle.of(firstPid).filter(ProcessHandle::isAlive)).as("stopped on close").isEmpty();

    try (EmbeddedCassandra second = EmbeddedCassandra.start(settings, CassandraSessions::probe);
        CqlSession session = CassandraSessions.open(List.of(second.cqlAddress()), Duration.ofSeconds(10))) {
      assertThat(session.execute("SELECT note FROM restart.kept WHERE id = 1").one().getString("note"))
          .isEqualTo("before restart");
    }
  }

  @Test
  void shouldReportANodeThatCannotStartWithItsLogAndKeepTheLog() {
    EmbeddedCassandraSettings broken = new EmbeddedCassandraSettings(Optional.of(dataDir), "512m", 0, 0,
        Duration.ofSeconds(60), List.of("-XX:+NoSuchJvmOption"));

    assertThatThrownBy(() -> EmbeddedCassandra.start(broken, CassandraSessions::probe))
        .isInstanceOf(EmbeddedCassandraException.class)
        .hasMessageContaining("exited with code 1")
        .hasMessageContaining("Its log: " + dataDir.toAbsolutePath().resolve("logs/system.log"))
        .hasMessageContaining("NoSuchJvmOption");
    assertThat(dataDir.resolve("logs/console.log")).isNotEmptyFile();
  }

  @Test
  void shouldStopTheNodeWhenItsLauncherIsKilled() throws Exception {
    Process launcher = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        LauncherThatHangs.class.getName(), dataDir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      long nodePid;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
        // The launcher logs too; its last word before hanging is the node's pid on a line of its own.
        nodePid = out.lines().filter(line -> line.matches("\\d+")).findFirst().map(Long::parseLong).orElseThrow();
      }
      ProcessHandle node = ProcessHandle.of(nodePid).orElseThrow();

      launcher.destroyForcibly().waitFor();

      assertThat(node.onExit().get(60, TimeUnit.SECONDS).isAlive()).as("the orphaned node exits").isFalse();
    } finally {
      launcher.destroyForcibly();
    }
  }

  private static void execute(EmbeddedCassandra node, String... statements) {
    try (CqlSession session = CassandraSessions.open(List.of(node.cqlAddress()), Duration.ofSeconds(10))) {
      for (String statement : statements) {
        session.execute(statement);
      }
    }
  }
}
