package dev.kos.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.cassandra.EmbeddedCassandra;
import dev.kos.analytics.cassandra.EmbeddedCassandraSettings;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.testing.TestKeyspaces;
import dev.kos.bus.testing.BootstrapServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollup job interrupted mid-batch, then run again: the rollups must hold the exact sums of the
 * records, nothing counted twice and nothing lost (issue 15, "the Spark rollup killed mid-batch and
 * Cassandra stopped mid-batch, then rerun"). The job runs as `kos analytics run` runs it, in a JVM
 * of its own (local Spark, so the kill takes Spark's driver and executors with it), and is killed
 * with SIGKILL as soon as it reports a batch written: Spark has then written the batch's rows but
 * not yet, or only just, its commit, so the rerun replays that batch over rows already written.
 * Cassandra is a node of this test's own, on a data directory and ports that survive its SIGKILL
 * and restart.
 */
@ExtendWith(KafkaBrokerOnItsOwnClasspath.class)
class RollupCrashRerunIT {

  private static final long SEED = 20_260_302L;
  private static final int LOG_RECORDS = 8_000;
  private static final int UNDECODABLE = 100;
  private static final int METRIC_SAMPLES = 500;
  /** Small batches, so a kill lands with batches behind and ahead of it. */
  private static final String BATCH = "1700";
  private static final Duration JOB_START = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  private EmbeddedCassandra cassandra;
  private Process job;

  @AfterEach
  void stopAll() {
    if (job != null) {
      job.destroyForcibly();
    }
    if (cassandra != null) {
      cassandra.close();
    }
  }

  @Test
  @Timeout(900)
  void rollupKilledMidBatchAndCassandraKilledMidBatchThenRerunSumExactly(@BootstrapServers String bootstrap)
      throws Exception {
    long started = System.nanoTime();
    EmbeddedCassandraSettings node = new EmbeddedCassandraSettings(Optional.of(dir.resolve("cassandra")), "512m",
        freePort(), freePort(), Duration.ofSeconds(240), List.of());
    cassandra = EmbeddedCassandra.start(node, CassandraSessions::probe);
    String prefix = "rollup-crash.";
    RollupJobIT.createTopics(bootstrap, prefix);
    SyntheticTraffic traffic = SyntheticTraffic.generate(SEED, LOG_RECORDS, UNDECODABLE, METRIC_SAMPLES, RollupJobIT::spoil);
    RollupJobIT.publish(bootstrap, prefix, traffic);
    System.out.printf("rollup-crash: Cassandra up and %,d records published after %,d ms%n",
        LOG_RECORDS + METRIC_SAMPLES, elapsed(started));

    // 1. The job killed (SIGKILL) mid-batch, then rerun.
    long caseStarted = System.nanoTime();
    String[] first = args(bootstrap, prefix, "job_killed", dir.resolve("job-killed"));
    job = forkJob(first, dir.resolve("job-killed.log"));
    long batch = awaitBatchWritten(job, dir.resolve("job-killed.log"), 2);
    job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Interrupted interrupted = Interrupted.of(checkpoint(first));
    System.out.printf("rollup-crash: job killed after writing batch %d; checkpoint: %s%n", batch, interrupted);
    assertThat(interrupted.isMidBatch()).as("the kill interrupted a batch (its offsets planned, no commit)").isTrue();

    rerun(first, dir.resolve("job-killed-rerun.log"));
    assertExactSums(traffic, first);
    System.out.printf("rollup-crash: job kill -9 mid-batch, rerun: exact in %,d ms%n", elapsed(caseStarted));

    // 2. Cassandra killed (SIGKILL) mid-batch, restarted on its data, then the job rerun.
    caseStarted = System.nanoTime();
    String[] second = args(bootstrap, prefix, "cassandra_killed", dir.resolve("cassandra-killed"));
    job = forkJob(second, dir.resolve("cassandra-killed.log"));
    batch = awaitBatchWritten(job, dir.resolve("cassandra-killed.log"), 1);
    ProcessHandle.of(cassandra.pid()).ifPresent(ProcessHandle::destroyForcibly);
    long killedAt = System.nanoTime();
    boolean jobEnded = job.waitFor(45, TimeUnit.SECONDS);
    String jobEnd = jobEnded ? "the job exited with " + job.exitValue() + " after " + elapsed(killedAt) + " ms"
        : "the job still ran 45 s later and was killed";
    job.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    Interrupted lost = Interrupted.of(checkpoint(second));
    System.out.printf("rollup-crash: Cassandra killed after batch %d was written; %s; checkpoint: %s%n", batch, jobEnd,
        lost);
    assertThat(jobEnded && job.exitValue() == 0).as("a job whose Cassandra died reports success").isFalse();
    assertThat(lost.isMidBatch()).as("Cassandra died with a batch in flight (its offsets planned, no commit)").isTrue();
    cassandra.close();
    long restarting = System.nanoTime();
    cassandra = EmbeddedCassandra.start(node, CassandraSessions::probe);
    System.out.printf("rollup-crash: Cassandra restarted on its data in %,d ms%n", elapsed(restarting));

    rerun(second, dir.resolve("cassandra-killed-rerun.log"));
    assertExactSums(traffic, second);
    assertExactSums(traffic, first);
    System.out.printf("rollup-crash: Cassandra kill -9 mid-batch, restart, rerun: exact in %,d ms; whole test %,d ms%n",
        elapsed(caseStarted), elapsed(started));
  }

  private String[] args(String bootstrap, String prefix, String purpose, Path dataDir) {
    return new String[] {"--bootstrap-server", bootstrap, "--topic-prefix", prefix, "--cassandra",
        cassandra.contactPoint(), "--keyspace", TestKeyspaces.fresh(purpose), "--data-dir", dataDir.toString(),
        "--spark-master", "local[2]", "--max-records-per-batch", BATCH};
  }

  /**
   * Runs the job again until it has caught up, in a JVM of its own as `kos analytics run` does: in
   * this JVM the connector's cached session to the killed node would still be backing off its
   * reconnection.
   */
  private void rerun(String[] args, Path log) throws Exception {
    job = forkJob(args, log);
    if (!job.waitFor(JOB_START.toSeconds() * 2, TimeUnit.SECONDS)) {
      throw new AssertionError("the rerun did not finish within " + JOB_START.multipliedBy(2) + ":\n" + Files.readString(log));
    }
    assertThat(job.exitValue()).as("rerun's exit code; its output:\n%s", Files.readString(log)).isZero();
  }

  /** Every app minute, app hour and agent minute sums to exactly what the generator produced. */
  private void assertExactSums(SyntheticTraffic traffic, String[] args) {
    String keyspace = args[7];
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(cassandra.contactPoint()), Duration.ofSeconds(10))) {
      assertThat(RollupJobIT.appMinutes(session, keyspace)).as("app minutes in %s", keyspace)
          .isEqualTo(traffic.expectedApps);
      assertThat(RollupJobIT.agentMinutes(session, keyspace)).as("agent minutes in %s", keyspace)
          .isEqualTo(RollupJobIT.expectedAgents(traffic));
      assertThat(RollupJobIT.appHours(session, keyspace)).as("app hours in %s (each batch added once)", keyspace)
          .isEqualTo(RollupJobIT.byHour(traffic.expectedApps));
    }
  }

  /** The job as `kos analytics run` starts it: LaunchMain in a JVM of its own with the job's JVM options. */
  private static Process forkJob(String[] args, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + Path.of("src", "main", "jvm", "jvm.options").toAbsolutePath(), "-Xmx768m",
        "-cp", System.getProperty("java.class.path"), LaunchMain.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the job reports batch {@code batch} written, and returns its id. */
  private static long awaitBatchWritten(Process job, Path log, long batch) throws Exception {
    long deadline = System.nanoTime() + JOB_START.toNanos();
    String line = Progress.PREFIX + "batch " + batch + ":";
    while (System.nanoTime() < deadline) {
      if (Files.readString(log).contains(line)) {
        return batch;
      }
      if (!job.isAlive()) {
        throw new AssertionError("the job exited (" + job.exitValue() + ") before batch " + batch + ":\n"
            + Files.readString(log));
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no batch " + batch + " within " + JOB_START + ":\n" + Files.readString(log));
  }

  /** The job's Spark checkpoint directory, as JobOptions names it. */
  private static Path checkpoint(String[] args) {
    JobOptions options = new JobOptions();
    new picocli.CommandLine(options).parseArgs(args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7],
        args[8], args[9]);
    return options.checkpointDir();
  }

  /** The last batch Spark planned (its offsets written) and the last it committed. */
  record Interrupted(OptionalLong planned, OptionalLong committed) {

    static Interrupted of(Path checkpoint) throws IOException {
      return new Interrupted(last(checkpoint.resolve("offsets")), last(checkpoint.resolve("commits")));
    }

    boolean isMidBatch() {
      return planned.isPresent() && (committed.isEmpty() || committed.getAsLong() < planned.getAsLong());
    }

    private static OptionalLong last(Path log) throws IOException {
      if (!Files.isDirectory(log)) {
        return OptionalLong.empty();
      }
      try (Stream<Path> files = Files.list(log)) {
        return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("\\d+"))
            .mapToLong(Long::parseLong).max();
      }
    }

    @Override
    public String toString() {
      return "last planned batch " + (planned.isPresent() ? planned.getAsLong() : "none") + ", last committed "
          + (committed.isPresent() ? committed.getAsLong() : "none");
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static long elapsed(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }
}
