package dev.kos.analytics.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.kos.analytics.query.Granularity;
import dev.kos.analytics.query.RollupQueries;
import dev.kos.analytics.rollup.LatencyBuckets;
import dev.kos.analytics.rollup.TimeBuckets;
import dev.kos.analytics.store.CassandraSessions;
import dev.kos.analytics.store.ContactPoints;
import dev.kos.analytics.testing.CassandraContactPoint;
import dev.kos.analytics.testing.CassandraNodeExtension;
import dev.kos.analytics.testing.TestKeyspaces;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.schema.LogLine;
import dev.kos.schema.MetricSample;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 100,000 synthetic log records through a real broker, the job on local Spark (launched as
 * {@code kos analytics run} launches it), rollups in a real Cassandra node: exactly the figures
 * the generator expects, and a second run adds nothing.
 */
@ExtendWith({KafkaBrokerOnItsOwnClasspath.class, CassandraNodeExtension.class})
class RollupJobIT {

  private static final long SEED = 20_260_301L;
  private static final int LOG_RECORDS = 100_000;
  private static final int UNDECODABLE = 300;
  private static final int METRIC_SAMPLES = 2_000;

  @Test
  void rollsUpEveryLineExactlyOnceAcrossReruns(@BootstrapServers String bootstrap, @CassandraContactPoint String cassandra,
      @TempDir Path dataDir) {
    String prefix = "rollup-it.";
    createTopics(bootstrap, prefix);
    SyntheticTraffic traffic = SyntheticTraffic.generate(SEED, LOG_RECORDS, UNDECODABLE, METRIC_SAMPLES, RollupJobIT::spoil);
    publish(bootstrap, prefix, traffic);
    String keyspace = TestKeyspaces.fresh("rollup_job");
    String[] args = {"--bootstrap-server", bootstrap, "--topic-prefix", prefix, "--cassandra", cassandra,
        "--keyspace", keyspace, "--data-dir", dataDir.toString(), "--spark-master", "local[2]"};

    assertThat(LaunchMain.run(args)).as("first run's exit code").isZero();

    try (CqlSession session = CassandraSessions.open(ContactPoints.parse(cassandra), Duration.ofSeconds(10))) {
      Map<AppMinute, MinuteFigures> apps = appMinutes(session, keyspace);
      assertThat(apps).isEqualTo(traffic.expectedApps);
      assertThat(apps.values().stream().mapToLong(f -> f.counts.get("malformed")).sum())
          .as("malformed lines and undecodable records").isEqualTo(traffic.expectedMalformed).isGreaterThan(UNDECODABLE);
      assertThat(percentiles(apps)).isEqualTo(expectedPercentiles(traffic));
      assertThat(agentMinutes(session, keyspace)).isEqualTo(expectedAgents(traffic));
      assertThat(agentDays(session, keyspace)).isEqualTo(expectedAgentDays(traffic));
      assertThat(agentSamplesAsQueried(session, keyspace, traffic)).as("samples per agent through RollupQueries")
          .isEqualTo(expectedAgentSamples(traffic));
      assertThat(appDays(session, keyspace)).hasSize(2 * 6);
      assertThat(appHours(session, keyspace)).as("app_hour: each hour's minutes in one row")
          .isEqualTo(byHour(traffic.expectedApps));
      long partialRows = count(session, keyspace, "app_minute");
      long hourRows = count(session, keyspace, "app_hour");

      assertThat(LaunchMain.run(args)).as("second run's exit code").isZero();

      assertThat(count(session, keyspace, "app_minute")).as("partial rows after the second run").isEqualTo(partialRows);
      assertThat(appMinutes(session, keyspace)).isEqualTo(traffic.expectedApps);
      assertThat(count(session, keyspace, "app_hour")).as("hour rows after the second run").isEqualTo(hourRows);
      assertThat(appHours(session, keyspace)).isEqualTo(byHour(traffic.expectedApps));
      assertThat(agentDays(session, keyspace)).as("agent_days after the second run")
          .isEqualTo(expectedAgentDays(traffic));
    }
  }

  static void createTopics(String bootstrap, String prefix) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      // The synthetic lines carry timestamps of March 2026: time-based retention would delete them
      // under the job's feet (as a broker's periodic check found them older than 7 days).
      Map<String, String> keepForever = Map.of("retention.ms", "-1");
      admin.createTopics(List.of(new NewTopic(prefix + "logs", 2, (short) 1).configs(keepForever),
          new NewTopic(prefix + "metrics", 2, (short) 1).configs(keepForever))).all().get();
    } catch (Exception e) {
      throw new IllegalStateException("could not create the topics", e);
    }
  }

  /** Each third spoiled record truncated, padded with a byte, or with another magic byte. */
  static byte[] spoil(LogLine line) {
    byte[] valid = ConfluentAvroReaderTest.wire(line);
    return switch (Math.floorMod(line.getLine().hashCode(), 3)) {
      case 0 -> Arrays.copyOf(valid, valid.length / 2);
      case 1 -> Arrays.copyOf(valid, valid.length + 1);
      default -> {
        byte[] other = valid.clone();
        other[0] = 1;
        yield other;
      }
    };
  }

  /** Values in the Confluent wire format, as kos's serde writes them (the job never asks the registry). */
  static void publish(String bootstrap, String prefix, SyntheticTraffic traffic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("linger.ms", 10);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (SyntheticTraffic.Generated record : traffic.logs) {
        byte[] value = record.line() == null ? record.raw() : ConfluentAvroReaderTest.wire(record.line());
        String key = record.line() == null ? "spoiled" : record.line().getTaskId();
        producer.send(new ProducerRecord<>(prefix + "logs", null, record.kafkaTimestamp(), key, value));
      }
      for (MetricSample sample : traffic.metrics) {
        producer.send(new ProducerRecord<>(prefix + "metrics", sample.getSourceId(), ConfluentAvroReaderTest.wire(sample)));
      }
      producer.flush();
    }
  }

  static Map<AppMinute, MinuteFigures> appMinutes(CqlSession session, String keyspace) {
    Map<AppMinute, MinuteFigures> figures = new HashMap<>();
    for (Row row : session.execute("SELECT * FROM " + keyspace + ".app_minute")) {
      MinuteFigures minute = figures.computeIfAbsent(
          new AppMinute(row.getString("app"), row.getInstant("minute").toEpochMilli()), k -> new MinuteFigures());
      MinuteFigures.COLUMNS.forEach(column -> minute.add(column, row.getLong(column)));
      row.getMap("latency_hist", Integer.class, Long.class).forEach(minute::addLatency);
    }
    return figures;
  }

  /** The app_hour rows by app and hour (the key's minute is the hour's start); one row an hour, never partial. */
  static Map<AppMinute, MinuteFigures> appHours(CqlSession session, String keyspace) {
    Map<AppMinute, MinuteFigures> figures = new HashMap<>();
    for (Row row : session.execute("SELECT * FROM " + keyspace + ".app_hour")) {
      AppMinute key = new AppMinute(row.getString("app"), row.getInstant("hour").toEpochMilli());
      MinuteFigures hour = new MinuteFigures();
      MinuteFigures.COLUMNS.forEach(column -> hour.add(column, row.getLong(column)));
      row.getMap("latency_hist", Integer.class, Long.class).forEach(hour::addLatency);
      if (figures.put(key, hour) != null) {
        throw new AssertionError("two app_hour rows for " + key);
      }
    }
    return figures;
  }

  /** Minute figures added up per app and hour. */
  static Map<AppMinute, MinuteFigures> byHour(Map<AppMinute, MinuteFigures> minutes) {
    Map<AppMinute, MinuteFigures> hours = new HashMap<>();
    minutes.forEach((minute, figures) -> {
      MinuteFigures hour = hours.computeIfAbsent(
          new AppMinute(minute.app(), TimeBuckets.hourOf(minute.minuteMillis())), k -> new MinuteFigures());
      figures.counts.forEach(hour::add);
      figures.latencyHistogram.forEach(hour::addLatency);
    });
    return hours;
  }

  static Map<AgentMinute, List<Double>> agentMinutes(CqlSession session, String keyspace) {
    Map<AgentMinute, double[]> sums = new HashMap<>();
    for (Row row : session.execute("SELECT * FROM " + keyspace + ".agent_minute")) {
      double[] s = sums.computeIfAbsent(new AgentMinute(row.getString("role"), row.getString("agent"),
          row.getInstant("minute").toEpochMilli()), k -> new double[5]);
      s[0] += row.getLong("samples");
      s[1] += row.getDouble("cpu_sum");
      s[2] = Math.max(s[2], row.getDouble("cpu_max"));
      s[3] += row.getDouble("mem_sum");
      s[4] = Math.max(s[4], row.getDouble("mem_max"));
    }
    return asLists(sums);
  }

  /** (agent, day, role) of every agent_days row. */
  private static Set<List<String>> agentDays(CqlSession session, String keyspace) {
    Set<List<String>> days = new HashSet<>();
    for (Row row : session.execute("SELECT agent, day, role FROM " + keyspace + ".agent_days")) {
      days.add(List.of(row.getString("agent"), row.getLocalDate("day").toString(), row.getString("role")));
    }
    return days;
  }

  private static Set<List<String>> expectedAgentDays(SyntheticTraffic traffic) {
    Set<List<String>> days = new HashSet<>();
    traffic.expectedAgents.keySet().forEach(key -> days.add(List.of(key.agent(),
        TimeBuckets.dayOf(key.minuteMillis()).toString(), key.role())));
    return days;
  }

  /** Each agent's samples over the traffic's whole span, read as the API's agent-usage route reads them. */
  private static Map<String, Long> agentSamplesAsQueried(CqlSession session, String keyspace,
      SyntheticTraffic traffic) {
    long first = traffic.expectedAgents.keySet().stream().mapToLong(AgentMinute::minuteMillis).min().orElseThrow();
    long last = traffic.expectedAgents.keySet().stream().mapToLong(AgentMinute::minuteMillis).max().orElseThrow();
    RollupQueries queries = new RollupQueries(session, keyspace);
    Map<String, Long> samples = new HashMap<>();
    for (String agent : expectedAgentSamples(traffic).keySet()) {
      queries.agentUsage(agent, Instant.ofEpochMilli(first), Instant.ofEpochMilli(last + 60_000), Granularity.HOUR)
          .forEach(bucket -> bucket.roles().forEach(usage -> samples.merge(agent, usage.samples(), Long::sum)));
    }
    return samples;
  }

  private static Map<String, Long> expectedAgentSamples(SyntheticTraffic traffic) {
    Map<String, Long> samples = new HashMap<>();
    traffic.expectedAgents.forEach((key, s) -> samples.merge(key.agent(), (long) s[0], Long::sum));
    return samples;
  }

  static Map<AgentMinute, List<Double>> expectedAgents(SyntheticTraffic traffic) {
    return asLists(traffic.expectedAgents);
  }

  private static Map<AgentMinute, List<Double>> asLists(Map<AgentMinute, double[]> sums) {
    Map<AgentMinute, List<Double>> lists = new HashMap<>();
    sums.forEach((key, s) -> lists.put(key, Arrays.stream(s).boxed().toList()));
    return lists;
  }

  private static List<Row> appDays(CqlSession session, String keyspace) {
    return session.execute("SELECT * FROM " + keyspace + ".app_days").all();
  }

  private static long count(CqlSession session, String keyspace, String table) {
    return session.execute("SELECT count(*) FROM " + keyspace + "." + table).one().getLong(0);
  }

  /** p50, p95 and p99 per app over the whole run, from the merged histograms the job wrote. */
  private static Map<String, List<Integer>> percentiles(Map<AppMinute, MinuteFigures> apps) {
    Map<String, List<Map<Integer, Long>>> histograms = new HashMap<>();
    apps.forEach((key, figures) -> histograms.computeIfAbsent(key.app(), a -> new ArrayList<>()).add(figures.latencyHistogram));
    Map<String, List<Integer>> percentiles = new HashMap<>();
    histograms.forEach((app, parts) -> {
      Map<Integer, Long> merged = LatencyBuckets.merge(parts);
      List<Integer> ps = List.of(50.0, 95.0, 99.0).stream().map(p -> LatencyBuckets.percentile(merged, p))
          .filter(OptionalInt::isPresent).map(OptionalInt::getAsInt).toList();
      if (!ps.isEmpty()) {
        percentiles.put(app, ps);
      }
    });
    return percentiles;
  }

  /** The same percentiles by rank in the sorted list of every request's bucket. */
  private static Map<String, List<Integer>> expectedPercentiles(SyntheticTraffic traffic) {
    Map<String, List<Integer>> percentiles = new HashMap<>();
    traffic.latencyBucketsByApp.forEach((app, buckets) -> {
      List<Integer> sorted = buckets.stream().sorted().toList();
      percentiles.put(app, List.of(50, 95, 99).stream()
          .map(p -> sorted.get((int) Math.max(1, (p * (long) sorted.size() + 99) / 100) - 1)).toList());
    });
    return percentiles;
  }
}
