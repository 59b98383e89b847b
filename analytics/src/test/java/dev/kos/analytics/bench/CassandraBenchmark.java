package dev.kos.analytics.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.kos.analytics.cassandra.EmbeddedCassandra;
import dev.kos.analytics.cassandra.EmbeddedCassandraSettings;
import dev.kos.analytics.query.AppCounts;
import dev.kos.analytics.query.Granularity;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.rollup.LatencyBuckets;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.SchemaInstaller;
import dev.kos.analytics.store.SchemaSettings;
import dev.kos.analytics.testing.RollupRowWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.IntSupplier;

/**
 * Prints the embedded node's start time and memory, then the latency of rollup queries over one
 * day of minute rows (one app, {@code batchesPerMinute} partial rows per minute). No assertions:
 * the figures go to docs/performance.md. Usage (after {@code ./mvnw -pl analytics test-compile}):
 *
 * <pre>
 * java -cp analytics/target/test-classes:analytics/target/classes:$(cat analytics/target/bench.classpath) \
 *   dev.kos.analytics.bench.CassandraBenchmark [heap=512m] [queries=1000] [batchesPerMinute=2]
 * </pre>
 */
public final class CassandraBenchmark {

  private static final Instant DAY = Instant.parse("2026-11-25T00:00:00Z");
  private static final int MINUTES_PER_DAY = 1_440;

  private CassandraBenchmark() {}

  public static void main(String[] args) {
    String heap = args.length > 0 ? args[0] : EmbeddedCassandraSettings.DEFAULT_MAX_HEAP;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    int batchesPerMinute = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    System.out.printf("parameters: heap=%s queries=%d batchesPerMinute=%d cores=%d%n",
        heap, queries, batchesPerMinute, Runtime.getRuntime().availableProcessors());

    try (EmbeddedCassandra node = EmbeddedCassandra.start(EmbeddedCassandraSettings.defaults().withMaxHeap(heap), CassandraSessions::probe);
        CqlSession session = CassandraSessions.open(List.of(node.cqlAddress()), Duration.ofSeconds(30))) {
      System.out.printf("cassandra start (JVM launch -> CQL answers): %d ms; RSS after start: %s%n",
          node.startupTime().toMillis(), mib(node));
      SchemaSettings schema = SchemaSettings.forKeyspace("bench");
      SchemaInstaller.install(session, schema);
      long rows = writeDay(new RollupRowWriter(session, schema.keyspace()), batchesPerMinute);
      RollupQueries rollups = new RollupQueries(session, schema.keyspace());

      Instant hourStart = DAY.plus(Duration.ofHours(12));
      measure("rollup by minute over 1 hour (60 minutes)", queries, () ->
          rollups.rollup("web", hourStart, hourStart.plus(Duration.ofHours(1)), Granularity.MINUTE).size());
      measure("rollup by hour over 1 day (1,440 minutes)", queries, () ->
          rollups.rollup("web", DAY, DAY.plus(Duration.ofDays(1)), Granularity.HOUR).size());
      measure("http summary over 1 hour", queries, () ->
          rollups.http("web", hourStart, hourStart.plus(Duration.ofHours(1))).requests() > 0 ? 1 : 0);
      System.out.printf("rows written: %d; RSS after load and queries: %s%n", rows, mib(node));
    }
  }

  private static long writeDay(RollupRowWriter writer, int batchesPerMinute) {
    Random random = new Random(42);
    long rows = 0;
    for (int minute = 0; minute < MINUTES_PER_DAY; minute++) {
      for (int batch = 0; batch < batchesPerMinute; batch++) {
        Map<Integer, Long> histogram = new TreeMap<>();
        for (int request = 0; request < 50; request++) {
          histogram.merge(LatencyBuckets.bucketOf(Math.abs(random.nextGaussian()) * 40), 1L, Long::sum);
        }
        writer.appMinute("web", DAY.plus(Duration.ofMinutes(minute)), (long) minute * batchesPerMinute + batch,
            new AppCounts(200, 20_000, 1, 2, 5, 190, 2, 1, 180, 20, 0, 50, 45, 2, 2, 1, histogram));
        rows++;
      }
    }
    return rows;
  }

  private static void measure(String name, int count, IntSupplier query) {
    for (int i = 0; i < Math.max(50, count / 10); i++) {
      query.getAsInt();
    }
    long[] micros = new long[count];
    long results = 0;
    for (int i = 0; i < count; i++) {
      long start = System.nanoTime();
      results += query.getAsInt();
      micros[i] = (System.nanoTime() - start) / 1_000;
    }
    Arrays.sort(micros);
    System.out.printf("%s: %d queries, %d result rows in total, p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
        name, count, results, micros[count / 2] / 1e3, micros[(int) Math.ceil(count * 0.99) - 1] / 1e3,
        micros[count - 1] / 1e3);
  }

  private static String mib(EmbeddedCassandra node) {
    return node.residentBytes().map(bytes -> (bytes >> 20) + " MiB").orElse("unknown");
  }
}
