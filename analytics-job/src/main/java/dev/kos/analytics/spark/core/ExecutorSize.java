package dev.kos.analytics.spark.core;

import dev.kos.model.Resources;

/**
 * What one Spark executor asks of an agent: {@code spark.executor.cores} cpus, and its heap
 * ({@code spark.executor.memory}) plus the JVM's overhead ({@code spark.executor.memoryOverhead}, by default
 * 10 % of the heap and at least 384 MiB, as Spark's other cluster managers count it) as mem.
 */
public record ExecutorSize(int cores, long heapMiB, long overheadMiB) {

  /** Spark's floor for the overhead when none is set. */
  public static final long MIN_OVERHEAD_MIB = 384;

  public ExecutorSize {
    if (cores < 1) {
      throw new IllegalArgumentException("spark.executor.cores must be at least 1, was " + cores);
    }
    if (heapMiB < 1 || overheadMiB < 0) {
      throw new IllegalArgumentException("executor memory must be positive, was heap " + heapMiB + " MiB, overhead "
          + overheadMiB + " MiB");
    }
  }

  /** The size Spark's settings give, the overhead defaulted as Spark does when {@code overheadMiB} is absent. */
  public static ExecutorSize of(int cores, long heapMiB, Long overheadMiB) {
    return new ExecutorSize(cores, heapMiB,
        overheadMiB != null ? overheadMiB : Math.max(MIN_OVERHEAD_MIB, (long) (heapMiB * 0.10)));
  }

  /** The resources of the kos task that runs the executor. */
  public Resources resources() {
    return Resources.of(cores, heapMiB + overheadMiB);
  }
}
