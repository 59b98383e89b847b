package dev.kos.analytics.job;

import com.datastax.spark.connector.cql.CassandraConnector;
import dev.kos.analytics.query.AppHourRow;
import dev.kos.analytics.query.AppHourWriter;
import dev.kos.analytics.query.AppMinuteRow;
import dev.kos.analytics.store.SchemaInstaller;
import dev.kos.analytics.store.SchemaSettings;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine;

/**
 * The Spark application: Structured Streaming reads the logs and metrics topics with the Kafka
 * source and, per micro-batch, writes partial rollup rows keyed by the batch id (docs/analytics.md,
 * "Exactly once"). Without {@code --follow} it stops once it has caught up with the topics
 * ({@link Trigger#AvailableNow()}), so running it again adds nothing.
 *
 * <p>Progress goes to stdout as lines starting with {@value Progress#PREFIX}, which
 * {@link LaunchMain} shows to the user.
 */
public final class RollupJob {

  static final String APP_NAME = "kos-analytics-rollup";
  private static final String CASSANDRA = "org.apache.spark.sql.cassandra";
  private static final String FOLLOW_INTERVAL = "5 seconds";

  private final JobOptions options;
  private final SparkSession spark;

  private RollupJob(JobOptions options, SparkSession spark) {
    this.options = options;
    this.spark = spark;
  }

  public static void main(String[] args) throws TimeoutException, StreamingQueryException {
    JobOptions options = new JobOptions();
    new CommandLine(options).parseArgs(args);
    SparkSession.Builder builder = SparkSession.builder();
    // A kos master is set here, not by spark-submit, which refuses masters it does not know (JobLauncher).
    new SparkConf().getOption(JobLauncher.KOS_MASTER_CONF).foreach(builder::master);
    SparkSession spark = builder
        .appName(APP_NAME)
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.cassandra.connection.host", options.cassandra)
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    // Stopped only after success: stopping reports FINISHED to the launcher, and a final state
    // cannot change, so a failed job must end with its exception (FAILED) while Spark still runs.
    new RollupJob(options, spark).run();
    spark.stop();
  }

  private void run() throws TimeoutException, StreamingQueryException {
    ensureSchema();
    Dataset<Row> records = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", options.bootstrapServers)
        .option("subscribe", options.logsTopic() + "," + options.metricsTopic())
        .option("startingOffsets", "earliest")
        // kos.logs keeps a day: records deleted before the job read them are gone, not a reason to stop.
        .option("failOnDataLoss", "false")
        .option("maxOffsetsPerTrigger", options.maxRecordsPerBatch)
        .options(options.kafkaSourceOptions())
        .load()
        .select(functions.col("topic"), functions.col("value"), functions.expr("unix_millis(timestamp)"));
    Progress.print("reading %s and %s from %s; checkpoint %s; %s", options.logsTopic(), options.metricsTopic(),
        options.bootstrapServers, options.checkpointDir(), options.follow ? "following" : "until caught up");
    StreamingQuery query = records.writeStream()
        .queryName(APP_NAME)
        .option("checkpointLocation", options.checkpointDir().toString())
        .trigger(options.follow ? Trigger.ProcessingTime(FOLLOW_INTERVAL) : Trigger.AvailableNow())
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) this::writeBatch)
        .start();
    if (options.follow) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(query), "kos-rollup-stop"));
    }
    query.awaitTermination();
    Progress.print(options.follow ? "stopped" : "caught up");
  }

  private void ensureSchema() {
    CassandraConnector.apply(spark.sparkContext().getConf()).withSessionDo(session -> {
      SchemaInstaller.install(session, SchemaSettings.forKeyspace(options.keyspace));
      return null;
    });
  }

  /**
   * Rolls up each partition where it is read, merges the partitions' rollups on the driver (a few
   * rows per app and minute) and writes them. A batch that fails is retried from its checkpointed
   * offsets, rewriting the same rows.
   */
  private void writeBatch(Dataset<Row> batch, long batchId) {
    long started = System.nanoTime();
    String logsTopic = options.logsTopic();
    BatchRollup rollup = batch.javaRDD()
        .mapPartitions((Iterator<Row> rows) -> {
          RollupBuilder builder = new RollupBuilder(logsTopic);
          rows.forEachRemaining(row -> builder.add(row.getString(0), (byte[]) row.get(1), row.getLong(2)));
          return List.of(builder.rollup()).iterator();
        })
        .fold(new BatchRollup(), BatchRollup::addAll);
    if (rollup.records() == 0) {
      return;
    }
    List<Row> appRows = RollupRows.appMinutes(rollup, batchId);
    List<Row> agentRows = RollupRows.agentMinutes(rollup, batchId);
    List<Row> dayRows = RollupRows.appDays(rollup);
    List<Row> agentDayRows = RollupRows.agentDays(rollup);
    write("app_minute", appRows, RollupRows.APP_MINUTE);
    write("agent_minute", agentRows, RollupRows.AGENT_MINUTE);
    write("app_days", dayRows, RollupRows.APP_DAYS);
    // The same rows again when the batch is replayed: an agent's roles of a day, for its usage query.
    write("agent_days", agentDayRows, RollupRows.AGENT_DAYS);
    // After the minute rows: each hour the batch touched is rewritten from them (docs/analytics.md, "Hour rows").
    List<AppHourRow> hours = writeHours(batchId, RollupRows.appMinuteRows(rollup, batchId));
    Progress.print("batch %d: %,d records (%s) -> %,d app_minute, %,d agent_minute, %,d app_days, %,d agent_days, "
        + "%,d app_hour rows in %,d ms", batchId, rollup.records(), rollup.summary(), appRows.size(), agentRows.size(),
        dayRows.size(), agentDayRows.size(), hours.size(), (System.nanoTime() - started) / 1_000_000);
  }

  private List<AppHourRow> writeHours(long batchId, List<AppMinuteRow> minutes) {
    return CassandraConnector.apply(spark.sparkContext().getConf()).withSessionDo(session ->
        new AppHourWriter(session, options.keyspace).apply(batchId, minutes));
  }

  private void write(String table, List<Row> rows, StructType schema) {
    if (rows.isEmpty()) {
      return;
    }
    spark.createDataFrame(rows, schema).write().format(CASSANDRA)
        .options(Map.of("keyspace", options.keyspace, "table", table))
        .mode(SaveMode.Append)
        .save();
  }

  private static void stopQuietly(StreamingQuery query) {
    try {
      query.stop();
    } catch (TimeoutException e) {
      Progress.print("the streaming query did not stop in time: %s", e.getMessage());
    }
  }
}
