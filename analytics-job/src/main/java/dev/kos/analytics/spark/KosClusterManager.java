package dev.kos.analytics.spark;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.ExternalClusterManager;
import org.apache.spark.scheduler.SchedulerBackend;
import org.apache.spark.scheduler.TaskScheduler;
import org.apache.spark.scheduler.TaskSchedulerImpl;

/**
 * Spark's entry to kos: {@code spark.master=kos://HOST:PORT,...} (the bus's bootstrap servers). Spark finds this
 * class through {@code META-INF/services/org.apache.spark.scheduler.ExternalClusterManager} on the driver's
 * classpath, as it finds its Kubernetes and YARN managers. The trait is {@code private[spark]} in Scala but a public
 * interface in the bytecode, which is all a Java class needs (docs/decisions/0019-spark-on-kos.md).
 */
public final class KosClusterManager implements ExternalClusterManager {

  @Override
  public boolean canCreate(String masterUrl) {
    return KosSparkSettings.isKosMaster(masterUrl);
  }

  @Override
  public TaskScheduler createTaskScheduler(SparkContext sc, String masterUrl) {
    return new TaskSchedulerImpl(sc);
  }

  @Override
  public SchedulerBackend createSchedulerBackend(SparkContext sc, String masterUrl, TaskScheduler scheduler) {
    return new KosSchedulerBackend((TaskSchedulerImpl) scheduler, sc, masterUrl);
  }

  @Override
  public void initialize(TaskScheduler scheduler, SchedulerBackend backend) {
    ((TaskSchedulerImpl) scheduler).initialize(backend);
  }
}
