package dev.kos.analytics.job;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.launcher.AbstractLauncher;
import org.apache.spark.launcher.InProcessLauncher;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.launcher.SparkLauncher;

/**
 * Starts {@link RollupJob} through spark-launcher and reports its state changes as progress
 * lines. A local master ({@code local}, {@code local[N]}, {@code local[*]}) runs in this JVM with
 * {@link InProcessLauncher}; so does a kos master ({@code kos://HOST:PORT,...}): the driver runs in this JVM and
 * its executors run as kos tasks ({@code dev.kos.analytics.spark}). spark-submit accepts no master it does not know,
 * so the job is submitted as {@code local} and {@link RollupJob} takes the kos master from
 * {@value #KOS_MASTER_CONF} (docs/decisions/0019-spark-on-kos.md). Any other master goes through
 * {@link SparkLauncher}, which needs a Spark 3.5 / Scala 2.13 installation in {@code SPARK_HOME}.
 */
final class JobLauncher {

  /** The master {@link RollupJob} sets itself, past spark-submit's check of known masters. */
  static final String KOS_MASTER_CONF = "spark.kos.master";

  private final String master;
  private final Path sparkHome;
  private final Map<String, String> conf;

  private JobLauncher(String master, Path sparkHome, Map<String, String> conf) {
    this.master = master;
    this.sparkHome = sparkHome;
    this.conf = conf;
  }

  static JobLauncher forMaster(String master, String sparkHome) {
    return forMaster(master, sparkHome, Map.of());
  }

  /** @param conf Spark settings for the application ({@code spark.executor.memory}, {@code spark.kos.*}) */
  static JobLauncher forMaster(String master, String sparkHome, Map<String, String> conf) {
    if (isLocal(master)) {
      return new JobLauncher(master, null, conf);
    }
    if (isKos(master)) {
      Map<String, String> withMaster = new TreeMap<>(conf);
      withMaster.put(KOS_MASTER_CONF, master);
      return new JobLauncher("local", null, withMaster);
    }
    if (sparkHome == null || sparkHome.isBlank()) {
      throw new IllegalArgumentException("--spark-master " + master + " submits through spark-submit: set SPARK_HOME "
          + "to a Spark 3.5 installation built for Scala 2.13, or use a local master such as local[2]");
    }
    Path home = Path.of(sparkHome);
    if (!Files.isDirectory(home.resolve("jars"))) {
      throw new IllegalArgumentException("SPARK_HOME=" + sparkHome + " is no Spark installation (it has no jars directory)");
    }
    return new JobLauncher(master, home, conf);
  }

  static boolean isLocal(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  static boolean isKos(String master) {
    return master.startsWith("kos://");
  }

  /** Launches the job and blocks until its application reaches a final state. */
  SparkAppHandle.State launch(JobOptions job) throws IOException {
    // In this JVM the job's classes are on the classpath already: no application jar to add.
    AbstractLauncher<?> launcher = sparkHome == null
        ? new InProcessLauncher().setAppResource(SparkLauncher.NO_RESOURCE)
        : submitter();
    launcher.setPropertiesFile(sparkDefaults(job).toString())
        .setAppName(RollupJob.APP_NAME)
        .setMaster(master)
        .setMainClass(RollupJob.class.getName())
        .setConf("spark.ui.enabled", "false")
        .addAppArgs(job.toArgs().toArray(String[]::new));
    conf.forEach(launcher::setConf);
    CountDownLatch ended = new CountDownLatch(1);
    SparkAppHandle handle = launcher.startApplication(new SparkAppHandle.Listener() {
      @Override
      public void stateChanged(SparkAppHandle handle) {
        Progress.print("Spark application %s: %s", handle.getAppId() == null ? "-" : handle.getAppId(), handle.getState());
        if (handle.getState().isFinal()) {
          ended.countDown();
        }
      }

      @Override
      public void infoChanged(SparkAppHandle handle) {
        // The app id arrives with a state change too; nothing else to show.
      }
    });
    try {
      ended.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handle.stop();
    }
    return handle.getState();
  }

  /**
   * {@code spark-defaults.conf} in the data directory, created empty the first time: extra Spark
   * settings for the job go there. Without a properties file the launcher would look for one in
   * {@code $SPARK_HOME/conf}, which a local run does not have.
   */
  private static Path sparkDefaults(JobOptions job) throws IOException {
    Path file = job.dataDir.resolve("spark-defaults.conf");
    if (!Files.exists(file)) {
      Files.createDirectories(job.dataDir);
      Files.writeString(file, "# Spark settings for the kos rollup job, one `key value` per line (e.g. spark.executor.memory 2g).\n");
    }
    return file;
  }

  /**
   * spark-submit with this jar as the application and, as {@code --jars}, every jar of ours that
   * the installation lacks (the connector, the Kafka source, the kos classes); Spark's own stay.
   */
  private SparkLauncher submitter() throws IOException {
    Path jobJar = jobJar();
    Path lib = jobJar.resolveSibling("lib");
    Set<String> provided;
    try (Stream<Path> jars = Files.list(sparkHome.resolve("jars"))) {
      provided = jars.map(jar -> jar.getFileName().toString()).collect(Collectors.toSet());
    }
    SparkLauncher launcher = new SparkLauncher()
        .setSparkHome(sparkHome.toString())
        .setAppResource(jobJar.toString())
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    try (Stream<Path> jars = Files.list(lib)) {
      List<Path> missing = jars.filter(jar -> !provided.contains(jar.getFileName().toString())).sorted().toList();
      missing.forEach(jar -> launcher.addJar(jar.toString()));
    }
    return launcher;
  }

  /** target/kos-analytics-job.jar, next to target/lib: where this class was loaded from. */
  private static Path jobJar() {
    try {
      Path location = Path.of(JobLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!location.toString().endsWith(".jar")) {
        throw new IllegalArgumentException("submitting to a cluster needs the packaged job (" + location
            + " is no jar): run ./mvnw -pl analytics-job -am package and start it from target" + File.separator
            + "kos-analytics-job.jar");
      }
      return location;
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the job's jar", e);
    }
  }
}
