package dev.kos.analytics.job;

import dev.kos.analytics.rollup.LatencyBuckets;
import dev.kos.schema.LogLine;
import dev.kos.schema.LogStream;
import dev.kos.schema.MetricSample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Log lines and metric samples from a fixed seed, and the rollups they must give, worked out from
 * what was generated (which level a line was given, which status and latency a request had)
 * rather than by classifying the lines again. Spans midnight, so rows land in two day partitions.
 */
final class SyntheticTraffic {

  static final Instant START = Instant.parse("2026-03-01T23:40:00Z");
  static final int MINUTES = 40;
  private static final List<String> APPS = List.of("web", "api", "billing", "search", "worker");
  private static final List<String> LEVEL_WORDS = List.of("ERROR", "WARN", "WARNING", "INFO", "DEBUG");
  private static final List<String> LEVEL_COLUMNS = List.of("level_error", "level_warn", "level_warn", "level_info", "level_debug");
  private static final int[] STATUSES = {200, 200, 200, 201, 204, 301, 304, 400, 404, 404, 500, 503, 101};
  private static final List<String> MALFORMED = List.of(
      "10.1.2.3 - - [01/Mar/2026:23:59:59 +0000] \"GET /health HTTP/1.1\" 200 12",
      "10.1.2.3 - alice [01/Mar/2026:23:59:59 +0000] \"GET /x HTTP/1.1\" 700 12 3.5ms",
      "10.1.2.3 - - [01/Mar/2026:23:59:59 +0000] GET /broken",
      "192.168.0.9 - - [");

  /** A Kafka record to publish: a decodable value, or raw bytes that are no value of the topic's schema. */
  record Generated(LogLine line, byte[] raw, long kafkaTimestamp) {
  }

  final List<Generated> logs = new ArrayList<>();
  final List<MetricSample> metrics = new ArrayList<>();
  final Map<AppMinute, MinuteFigures> expectedApps = new HashMap<>();
  final Map<AgentMinute, double[]> expectedAgents = new HashMap<>();
  /** Per app, the latency bucket of every request, for the percentiles. */
  final Map<String, List<Integer>> latencyBucketsByApp = new HashMap<>();
  long expectedMalformed;

  /**
   * @param undecodableAs how a valid value is spoiled: given a LogLine, the raw bytes of a record
   *     that must not decode (the test serializes with the real serde, then truncates or pads)
   */
  static SyntheticTraffic generate(long seed, int logRecords, int undecodable, int metricSamples,
      Function<LogLine, byte[]> undecodableAs) {
    SyntheticTraffic traffic = new SyntheticTraffic();
    Random random = new Random(seed);
    for (int i = 0; i < logRecords - undecodable; i++) {
      traffic.addLine(random, i);
    }
    for (int i = 0; i < undecodable; i++) {
      long timestamp = START.toEpochMilli() + random.nextInt(MINUTES * 60_000);
      LogLine spoiled = line("-", "t-spoiled", LogStream.STDOUT, timestamp, "INFO spoiled " + i);
      traffic.logs.add(new Generated(null, undecodableAs.apply(spoiled), timestamp));
      traffic.figures("-", timestamp).add("malformed", 1);
      traffic.expectedMalformed++;
    }
    for (int i = 0; i < metricSamples; i++) {
      traffic.addSample(random, i);
    }
    return traffic;
  }

  private void addLine(Random random, int i) {
    boolean noApp = random.nextInt(50) == 0;
    String app = noApp ? null : APPS.get(random.nextInt(APPS.size()));
    String appKey = noApp ? "-" : app;
    long timestamp = START.toEpochMilli() + random.nextInt(MINUTES * 60_000);
    LogStream stream = LogStream.values()[random.nextInt(10) < 6 ? 0 : random.nextInt(3)];
    MinuteFigures figures = figures(appKey, timestamp);
    String text;
    int kind = random.nextInt(100);
    if (kind < 45) {
      int status = STATUSES[random.nextInt(STATUSES.length)];
      // Three decimals, parsed back as the job will parse them: the bucket is the job's exact input.
      String latency = String.format(Locale.ROOT, "%.3f", Math.pow(10, random.nextDouble() * 4.3));
      text = String.format(Locale.ROOT, "10.0.%d.%d - %s [01/Mar/2026:23:59:59 +0000] \"%s /items/%d HTTP/1.1\" %d %d %sms",
          random.nextInt(256), random.nextInt(256), random.nextBoolean() ? "-" : "bob",
          random.nextBoolean() ? "GET" : "POST", i, status, random.nextInt(50_000), latency);
      int bucket = LatencyBuckets.bucketOf(Double.parseDouble(latency));
      figures.add("requests", 1).add("level_other", 1);
      if (status >= 200) {
        figures.add("status_" + status / 100 + "xx", 1);
      }
      figures.addLatency(bucket, 1);
      latencyBucketsByApp.computeIfAbsent(appKey, a -> new ArrayList<>()).add(bucket);
    } else if (kind < 47) {
      text = MALFORMED.get(random.nextInt(MALFORMED.size()));
      figures.add("malformed", 1).add("level_other", 1);
      expectedMalformed++;
    } else if (kind < 90) {
      int level = random.nextInt(LEVEL_WORDS.size());
      text = String.format(Locale.ROOT, "2026-03-01 23:59:59 [%s] com.example.Service - request %d done", LEVEL_WORDS.get(level), i);
      figures.add(LEVEL_COLUMNS.get(level), 1);
    } else if (kind < 95) {
      text = "DEBUGGING is not a level, nor ERRORS; caf\u00e9 \u2713 \ud83d\ude00 " + i;
      figures.add("level_other", 1);
    } else {
      text = "level=WARNING disk at 91% \u2014 " + i;
      figures.add("level_warn", 1);
    }
    figures.add("lines", 1).add("bytes", text.getBytes(StandardCharsets.UTF_8).length)
        .add("stream_" + stream.name().toLowerCase(Locale.ROOT), 1);
    logs.add(new Generated(line(app, "t" + (i % 97), stream, timestamp, text), null, timestamp));
  }

  /** cpu in quarter cores and memory in quarter MiB: every sum is exact whatever the order of adding. */
  private void addSample(Random random, int i) {
    boolean task = random.nextInt(10) > 0;
    String role = random.nextInt(20) == 0 ? null : (random.nextBoolean() ? "web" : "batch");
    String agent = "agent-" + random.nextInt(3);
    long timestamp = START.toEpochMilli() + random.nextInt(MINUTES * 60_000);
    Map<String, Double> values = new HashMap<>();
    Double cpu = random.nextInt(10) == 0 ? null : random.nextInt(16) / 4.0;
    Double rss = random.nextInt(10) == 0 ? null : random.nextInt(4096) / 4.0 * 1_048_576;
    if (cpu != null) {
      values.put("cpu_cores", cpu);
    }
    if (rss != null) {
      values.put("rss_bytes", rss);
    }
    metrics.add(MetricSample.newBuilder().setSourceId("task-" + i).setKind(task ? "task" : "agent").setAgentId(agent)
        .setRole(role).setValues(values).setTimestamp(Instant.ofEpochMilli(timestamp)).build());
    if (task) {
      double[] e = expectedAgents.computeIfAbsent(new AgentMinute(role == null ? "-" : role, agent, minuteOf(timestamp)),
          k -> new double[5]);
      e[0]++;
      if (cpu != null) {
        e[1] += cpu;
        e[2] = Math.max(e[2], cpu);
      }
      if (rss != null) {
        e[3] += rss / 1_048_576;
        e[4] = Math.max(e[4], rss / 1_048_576);
      }
    }
  }

  private MinuteFigures figures(String app, long timestamp) {
    return expectedApps.computeIfAbsent(new AppMinute(app, minuteOf(timestamp)), k -> new MinuteFigures());
  }

  private static long minuteOf(long millis) {
    return millis / 60_000 * 60_000;
  }

  private static LogLine line(String app, String task, LogStream stream, long timestamp, String text) {
    return LogLine.newBuilder().setTaskId(task).setFrameworkId("apps").setAppId(app).setAgentId("agent-1")
        .setStream(stream).setTimestamp(Instant.ofEpochMilli(timestamp)).setSeq(0).setLine(text).build();
  }
}
