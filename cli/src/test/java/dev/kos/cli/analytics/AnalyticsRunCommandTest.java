package dev.kos.cli.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.Kos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.kos.schema.JobSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `kos analytics run` does before and around the job's JVM; the job itself is tested in
 * analytics-job (RollupJobIT).
 */
class AnalyticsRunCommandTest {

  @TempDir
  Path home;

  private record Result(int exitCode, String out, String err) {}

  private Result kos(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kos.run(Map.of("KOS_HOME", home.toString()), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void shouldSayHowToGetACassandraWhenNoneIsConfigured() {
    Result result = kos("analytics", "run", "--bootstrap-server", "127.0.0.1:9092");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("no Cassandra to write rollups to: run `kos up --analytics`");
  }

  @Test
  void shouldSayHowToBuildTheJobWhenItIsMissing() {
    Result result = kos("analytics", "run", "--bootstrap-server", "127.0.0.1:9092", "--cassandra", "127.0.0.1:9042",
        "--analytics-job", home.resolve("nothing-here").toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("the analytics job is not built in", "-pl analytics-job -am package");
  }

  @Test
  void shouldForkTheJobsJvmAndEndWithItsExitCodeAndOutput() throws IOException {
    Path job = home.resolve("job");
    Files.createDirectories(job.resolve("lib"));
    Files.write(job.resolve(AnalyticsRunCommand.JOB_JAR), new byte[0]);
    Files.writeString(job.resolve("jvm.options"), "-Xmx64m\n");

    Result result = kos("analytics", "run", "--local", "--bootstrap-server", "127.0.0.1:9092", "--cassandra",
        "127.0.0.1:9042", "--analytics-job", job.toString());

    assertThat(result.exitCode()).as("the JVM's exit code: no such main class").isEqualTo(1);
    assertThat(result.err()).contains(AnalyticsRunCommand.MAIN_CLASS);
  }

  @Test
  void shouldSubmitTheDriverAsAJobOfTheJobsRoleWithAKosMasterAndExecutorsOfTheAnalyticsRole() throws IOException {
    Files.createDirectories(home.resolve("job"));
    Files.writeString(home.resolve("job").resolve("jvm.options"), "# Java 17\n--add-opens=java.base/java.lang=ALL-UNNAMED\n\n-Da=1 -Db=2\n");
    AnalyticsRunCommand command = new AnalyticsRunCommand();
    new CommandLine(command).parseArgs("--bootstrap-server", "b1:9092,b2:9092", "--schema-registry", "http://r:8081",
        "--topic-prefix", "t.", "--cassandra", "c:9042", "--analytics-dir", home.resolve("data").toString(),
        "--executors", "3", "--executor-memory", "1g");

    JobSpec job = command.clusterJob(home.resolve("job"));

    assertThat(job.getId()).isEqualTo("analytics-rollup");
    assertThat(job.getRole()).as("the role of kos up's jobs framework").isEqualTo("jobs");
    assertThat(job.getCpus()).isEqualTo(1.0);
    assertThat(job.getMem()).isEqualTo(1280.0);
    assertThat(job.getSchedule()).isNull();
    List<String> argv = job.getArgv();
    assertThat(job.getEnv()).as("the classpath, which an agent running the driver as another user mirrors for it")
        .containsEntry("KOS_CLASSPATH", home.resolve("job").resolve(AnalyticsRunCommand.JOB_JAR) + ":"
            + home.resolve("job").resolve("lib").resolve("*"));
    assertThat(argv.subList(0, 2)).containsExactly("/bin/sh", "-c");
    assertThat(argv).as("the job's jvm.options inlined: the task user may not be able to read the file")
        .containsSubsequence("--add-opens=java.base/java.lang=ALL-UNNAMED", "-Da=1", "-Db=2", "-Xmx768m",
            AnalyticsRunCommand.MAIN_CLASS)
        .doesNotContain("# Java 17", "")
        .containsSubsequence("--spark-master", "kos://b1:9092,b2:9092")
        .containsSubsequence("--conf", "spark.kos.schemaRegistry=http://r:8081")
        .containsSubsequence("--conf", "spark.kos.topicPrefix=t.")
        .containsSubsequence("--conf", "spark.kos.role=analytics")
        .containsSubsequence("--conf", "spark.executor.instances=3")
        .containsSubsequence("--conf", "spark.executor.memory=1g")
        .containsSubsequence("--cassandra", "c:9042")
        .containsSubsequence("--data-dir", home.resolve("data").toString());
  }

  @Test
  void shouldPrepareTheDriversDataDirKeepingItsSparkDefaultsTheSubmitters() throws IOException {
    AnalyticsRunCommand command = new AnalyticsRunCommand();
    new CommandLine(command).parseArgs("--bootstrap-server", "b:9092", "--cassandra", "c:9042");
    Path data = home.resolve("data");

    command.prepareForTaskUsers(data, java.util.Set.of(System.getProperty("user.name")));

    assertThat(data.resolve(AnalyticsRunCommand.CHECKPOINTS)).isDirectory();
    assertThat(data.resolve("spark-defaults.conf")).isRegularFile();
  }
}
