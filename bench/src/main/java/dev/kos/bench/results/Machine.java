package dev.kos.bench.results;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * The machine a run was taken on: figures from two machines (or one machine under different load)
 * are not comparable without it.
 *
 * @param loadAverage the one-minute load average when the run began; above the core count, other
 *     work competed for the processors
 */
public record Machine(int cores, long memoryBytes, String os, String java, double loadAverage) {

  public static Machine current() {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new Machine(Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch")
            + ")",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        os.getSystemLoadAverage());
  }
}
