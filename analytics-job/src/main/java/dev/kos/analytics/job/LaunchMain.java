package dev.kos.analytics.job;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.launcher.SparkAppHandle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Launches the rollup job with spark-launcher and waits for it: in this JVM for a local master,
 * through {@code spark-submit} of {@code $SPARK_HOME} for a cluster. Exit code 0 when the
 * application finished, 1 when it failed, 2 for bad arguments. Run with the options of
 * {@code target/jvm.options} (the {@code --add-opens} Spark needs on Java 17).
 */
@Command(name = "kos-analytics-job", mixinStandardHelpOptions = true,
    description = "Rolls kos.logs and kos.metrics up into Cassandra with a Spark job.")
public final class LaunchMain implements Callable<Integer> {

  @Mixin
  JobOptions job;

  @Option(names = "--spark-master", defaultValue = "local[2]",
      description = "local[N] runs in this JVM; kos://HOST:PORT,... runs the driver in this JVM and its executors as "
          + "kos tasks (needs --conf spark.kos.schemaRegistry=URL); spark://, yarn, k8s:// submit through $SPARK_HOME "
          + "(default: ${DEFAULT-VALUE})")
  String sparkMaster;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A Spark setting for the application, such as spark.executor.memory=512m or "
          + "spark.kos.schemaRegistry=http://localhost:8081 (repeatable)")
  Map<String, String> conf = new LinkedHashMap<>();

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new LaunchMain())
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException) {
            commandLine.getErr().println("kos-analytics-job: " + e.getMessage());
            return 2;
          }
          throw e;
        })
        .execute(args);
  }

  @Override
  public Integer call() throws Exception {
    SparkAppHandle.State end = JobLauncher.forMaster(sparkMaster, System.getenv("SPARK_HOME"), conf).launch(job);
    return end == SparkAppHandle.State.FINISHED ? 0 : 1;
  }
}
