package dev.kos.agent.config;

import dev.kos.model.PortRange;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the host has, used for every resource the --resources flag leaves out. */
public record HostResources(int cores, long memMb, long diskMb) {
  /** Mesos's default port range, so frameworks find ports even when the flag names none. */
  public static final PortRange DEFAULT_PORTS = new PortRange(31000, 32000);
  private static final long RESERVED_FOR_HOST_MB = 1024;

  public static HostResources detect(Path workDir) {
    long totalMemMb = totalMemoryBytes() / (1024 * 1024);
    // Leave the host (and the agent itself) some memory: 1 GiB, or half on small hosts, as Mesos does.
    long memMb = totalMemMb - Math.min(RESERVED_FOR_HOST_MB, totalMemMb / 2);
    return new HostResources(Runtime.getRuntime().availableProcessors(), memMb, usableDiskMb(workDir));
  }

  private static long totalMemoryBytes() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sunOs) {
      return sunOs.getTotalMemorySize();
    }
    return Runtime.getRuntime().maxMemory();
  }

  private static long usableDiskMb(Path workDir) {
    try {
      Path existing = workDir.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      if (existing == null) {
        return 0;
      }
      return Files.getFileStore(existing).getUsableSpace() / (1024 * 1024);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read free disk space of " + workDir + ": " + e.getMessage(), e);
    }
  }
}
