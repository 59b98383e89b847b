package dev.kos.analytics.job;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.cassandra.EmbeddedCassandra;
import dev.kos.analytics.cassandra.EmbeddedCassandraSettings;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.bus.embedded.EmbeddedKafka;
import dev.kos.bus.embedded.EmbeddedKafkaSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Log lines per second from Kafka into Cassandra rollups: publishes N synthetic lines once (a real
 * broker and a real Cassandra node), then runs the job over all of them several times, each time
 * from scratch (new checkpoint, new keyspace, a new JVM), through {@link LaunchMain} as {@code kos
 * analytics run} does. Prints every run and the median; the wall time includes the JVM's and Spark's
 * start (several seconds), and the job's own progress lines give each micro-batch's time without them. After
 * each run the app-minute rollups in Cassandra must count every published line, or the benchmark fails.
 *
 * <p>Arguments: {@code [lines=2000000] [runs=3] [master=local[2]] [partitions=2]}.
 */
public final class RollupBenchmark {

  private RollupBenchmark() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    String master = args.length > 2 ? args[2] : "local[2]";
    int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    Path work = Files.createTempDirectory("kos-rollup-bench");
    try (EmbeddedKafka kafka = KafkaBrokerOnItsOwnClasspath.start(EmbeddedKafkaSettings.defaults().withMaxHeap("768m"));
        EmbeddedCassandra cassandra = EmbeddedCassandra.start(EmbeddedCassandraSettings.defaults(), CassandraSessions::probe)) {
      String prefix = "bench.";
      try (Admin admin = Admin.create(java.util.Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic(prefix + "logs", partitions, (short) 1),
            new NewTopic(prefix + "metrics", partitions, (short) 1))).all().get();
      }
      long published = publish(kafka.bootstrapServers(), prefix + "logs", lines);
      System.out.printf("published %,d log lines (%,d bytes of values) on %d partitions%n", lines, published, partitions);
      List<Double> rates = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        long started = System.nanoTime();
        int exit = launchInItsOwnJvm("--bootstrap-server", kafka.bootstrapServers(), "--topic-prefix", prefix,
            "--cassandra", cassandra.contactPoint(), "--keyspace", "bench_" + run,
            "--data-dir", work.resolve("run-" + run).toString(), "--spark-master", master);
        double seconds = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
          throw new IllegalStateException("run " + run + " failed with exit code " + exit);
        }
        long rolledUp = linesInRollups(cassandra.contactPoint(), "bench_" + run);
        if (rolledUp != lines) {
          throw new IllegalStateException("run " + run + " left " + rolledUp + " lines in the rollups of keyspace bench_"
              + run + ", not the " + lines + " published: the run did not do the work it was timed for");
        }
        rates.add(lines / seconds);
        System.out.printf("run %d: %,d lines in %.1f s = %,.0f lines/s (launch to finish, Spark start included);"
            + " the rollups count all %,d%n", run, lines, seconds, lines / seconds, rolledUp);
      }
      double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf("RESULT lines=%,d master=%s partitions=%d runs=%d median=%,.0f lines/s all=%s%n",
          lines, master, partitions, runs, sorted[sorted.length / 2], Arrays.toString(sorted));
    }
  }

  /** The lines the job counted into the app-minute rollups of {@code keyspace}: every line it read once. */
  private static long linesInRollups(String contactPoint, String keyspace) {
    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(contactPoint), Duration.ofSeconds(10))) {
      return RollupJobIT.appMinutes(session, keyspace).values().stream().mapToLong(m -> m.counts.get("lines")).sum();
    }
  }

  /**
   * One run in a JVM of its own, as {@code kos analytics run} forks it: a second in-process launch in the
   * same JVM found Spark's context stopped by the first. The JVM gets this one's options and classpath.
   */
  private static int launchInItsOwnJvm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), LaunchMain.class.getName()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).inheritIO().start().waitFor();
  }

  /** Lines shaped like a web service's: 45 % access-log lines, the rest levelled application lines. */
  private static long publish(String bootstrap, String topic, int lines) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    SyntheticTraffic traffic = SyntheticTraffic.generate(1L, Math.min(lines, 200_000), 0, 0, line -> new byte[0]);
    long bytes = 0;
    Random random = new Random(2);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      List<byte[]> values = traffic.logs.stream().map(g -> ConfluentAvroReaderTest.wire(g.line())).toList();
      for (int i = 0; i < lines; i++) {
        byte[] value = values.get(random.nextInt(values.size()));
        bytes += value.length;
        producer.send(new ProducerRecord<>(topic, "task-" + (i % 97), value));
      }
      producer.flush();
    }
    return bytes;
  }
}
