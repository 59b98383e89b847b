package dev.kos.analytics.spark;

import dev.kos.bus.ControlBus;
import dev.kos.bus.catalog.Topics;
import dev.kos.bus.consume.LoopSupervisor;
import dev.kos.bus.framework.FrameworkRuntime;
import dev.kos.bus.framework.FrameworkSettings;
import dev.kos.model.CommandSpec;
import dev.kos.model.OfferView;
import dev.kos.model.TaskSpec;
import dev.kos.model.TaskState;
import dev.kos.model.TaskStatusUpdate;
import dev.kos.schema.TaskStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.launcher.LauncherBackend;
import org.apache.spark.launcher.SparkAppHandle;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.scheduler.ExecutorExited;
import org.apache.spark.scheduler.ExecutorProcessLost;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;
import org.apache.spark.scheduler.cluster.SchedulerBackendUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's coarse-grained scheduling on kos, as Spark's Kubernetes backend does it with pods: the driver's RPC
 * endpoint and task scheduling stay Spark's ({@link CoarseGrainedSchedulerBackend}); getting executors is kos's.
 * The backend registers the application as a kos framework in a role ({@code spark.kos.role}, by default
 * {@code analytics}) through the SDK's {@link FrameworkRuntime}, so the allocator's rules for that role (its
 * priority, its cluster-utilization threshold) apply to every executor. Each executor is a kos task running
 * {@code CoarseGrainedExecutorBackend}, which connects back to this driver.
 */
final class KosSchedulerBackend extends CoarseGrainedSchedulerBackend {

  static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
  /** Registered executors over those asked for, before Spark starts scheduling (Kubernetes' default too). */
  private static final double DEFAULT_MIN_REGISTERED_RATIO = 0.8;

  private static final Logger log = LoggerFactory.getLogger(KosSchedulerBackend.class);

  private final SparkContext sc;
  private final KosSparkSettings settings;
  private final int initialExecutors;
  /**
   * Tells spark-launcher how the application goes, as Spark's local and standalone backends do: without it a
   * launcher's handle never hears FINISHED and reports the application LOST when it ends.
   */
  private final LauncherBackend launcher;
  private volatile boolean stopping;
  private ControlBus bus;
  private FrameworkRuntime<TaskStatus> runtime;
  private ExecutorFramework framework;

  KosSchedulerBackend(TaskSchedulerImpl scheduler, SparkContext sc, String masterUrl) {
    super(scheduler, sc.env().rpcEnv());
    this.sc = sc;
    this.initialExecutors = SchedulerBackendUtils.getInitialTargetExecutorNumber(sc.conf(),
        SchedulerBackendUtils.DEFAULT_NUMBER_EXECUTORS());
    this.settings = KosSparkSettings.from(masterUrl, sc.conf(), initialExecutors);
    this.launcher = new LauncherBackend() {
      @Override
      public SparkConf conf() {
        return sc.conf();
      }

      @Override
      public void onStopRequest() {
        stop(SparkAppHandle.State.KILLED);
      }
    };
  }

  @Override
  public void start() {
    launcher.connect();
    super.start();
    String frameworkId = applicationId();
    bus = new ControlBus(settings.bus());
    runtime = new FrameworkRuntime<>(bus,
        new FrameworkSettings(frameworkId, sc.appName(), settings.role(), 1.0, null, settings.failoverTimeout()),
        "kos-" + frameworkId, Topics.SPARK_EXECUTORS, Clock.systemUTC(), LoopSupervisor.forProcess());
    framework = new ExecutorFramework(frameworkId, settings.executorSize(), initialExecutors,
        settings.maxExecutorFailures(), this::executorTask, this::executorEnded, Clock.systemUTC());
    framework.runOn(runtime);
    runtime.start(framework);
    launcher.setAppId(frameworkId);
    launcher.setState(SparkAppHandle.State.RUNNING);
    log.info("Spark application {} runs its executors on kos ({}) in role {}", frameworkId,
        settings.bus().bootstrapServers(), settings.role());
  }

  @Override
  public void stop() {
    stop(SparkAppHandle.State.FINISHED);
  }

  private void stop(SparkAppHandle.State finalState) {
    if (stopping) {
      return;
    }
    stopping = true;
    try {
      super.stop(); // asks the executors to stop; their tasks end FINISHED
    } finally {
      if (runtime != null) {
        runtime.locked(framework::stop);
        // The application is over for good: its framework is removed now, not failed over 30 s after the driver
        // exits (which the allocator reported as a warning, once per shard, on every rollup).
        runtime.locked(() -> runtime.driver().teardown());
        try {
          runtime.close();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      launcher.setState(finalState);
      launcher.close();
    }
  }

  @Override
  public Future<Object> doRequestTotalExecutors(scala.collection.immutable.Map<ResourceProfile, Object> totals) {
    int total = 0;
    for (Map.Entry<ResourceProfile, Object> entry : CollectionConverters.asJava(totals).entrySet()) {
      if (entry.getKey().id() == ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID()) {
        total = (Integer) entry.getValue();
      } else if ((Integer) entry.getValue() > 0) {
        log.warn("resource profile {} is not supported on kos; its executors are not started", entry.getKey().id());
      }
    }
    int wanted = total;
    runtime.locked(() -> framework.setTarget(wanted));
    return Future.successful(Boolean.TRUE);
  }

  @Override
  public Future<Object> doKillExecutors(scala.collection.immutable.Seq<String> executorIds) {
    List<String> ids = CollectionConverters.asJava(executorIds);
    runtime.locked(() -> framework.kill(ids));
    return Future.successful(Boolean.TRUE);
  }

  @Override
  public boolean sufficientResourcesRegistered() {
    return totalRegisteredExecutors().get() >= initialExecutors * minRegisteredRatio();
  }

  @Override
  public double minRegisteredRatio() {
    return sc.conf().contains("spark.scheduler.minRegisteredResourcesRatio") ? super.minRegisteredRatio()
        : DEFAULT_MIN_REGISTERED_RATIO;
  }

  /** An executor's task ended: Spark forgets the executor and runs its tasks elsewhere. */
  private void executorEnded(String executorId, TaskStatusUpdate status) {
    if (stopping) {
      return;
    }
    String why = "kos task " + status.taskId() + " on agent " + status.agentId() + " ended " + status.state()
        + status.message().map(m -> ": " + m).orElse("");
    if (status.exitCode().isPresent()) {
      removeExecutor(executorId, new ExecutorExited(status.exitCode().get(), status.state() == TaskState.FAILED, why));
    } else {
      removeExecutor(executorId, new ExecutorProcessLost(why, Option.apply(status.agentId()), false));
    }
  }

  /**
   * The kos task that runs one executor: Spark's executor main on this driver's classpath, sized from the conf. The
   * classpath goes as the task's {@code KOS_CLASSPATH}, so that an agent that runs it as another user (its
   * {@code --task-user}) gives it a copy that user can read.
   */
  private TaskSpec executorTask(String taskId, String executorId, OfferView offer) {
    return TaskSpec.of(taskId, "spark executor " + executorId + " of " + applicationId(), applicationId(),
        CommandSpec.jvm(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            executorArgs(executorId, executorHost(offer)), settings.executorClasspath()),
        settings.executorSize().resources());
  }

  /**
   * The host the executor binds Spark's RPC to and the driver reaches it at: the agent's hostname if it resolves,
   * else the driver's own host. An agent of {@code kos up} reports its id as hostname ({@code agent-1}); agents run
   * on the driver's machine here, which the classpath assumes too (decision 0019).
   */
  private String executorHost(OfferView offer) {
    try {
      InetAddress.getByName(offer.hostname());
      return offer.hostname();
    } catch (UnknownHostException e) {
      String driverHost = sc.conf().get("spark.driver.host");
      log.warn("agent {} reports hostname {}, which does not resolve: its executor binds to the driver's host {}",
          offer.agentId(), offer.hostname(), driverHost);
      return driverHost;
    }
  }

  /** The executor JVM's options, main class and arguments; its classpath is the task's {@code KOS_CLASSPATH}. */
  List<String> executorArgs(String executorId, String hostname) {
    SparkConf conf = sc.conf();
    List<String> argv = new ArrayList<>();
    argv.add("-Xmx" + settings.executorSize().heapMiB() + "m");
    // Spark puts the --add-opens list Java 17 needs into spark.executor.extraJavaOptions as the context starts.
    Arrays.stream(conf.get("spark.executor.extraJavaOptions", "").trim().split("\\s+"))
        .filter(option -> !option.isEmpty()).forEach(argv::add);
    argv.addAll(List.of(EXECUTOR_MAIN,
        "--driver-url", "spark://" + CoarseGrainedSchedulerBackend.ENDPOINT_NAME() + "@" + conf.get("spark.driver.host")
            + ":" + conf.get("spark.driver.port"),
        "--executor-id", executorId,
        "--cores", Integer.toString(settings.executorSize().cores()),
        "--app-id", applicationId(),
        "--hostname", hostname));
    return argv;
  }
}
