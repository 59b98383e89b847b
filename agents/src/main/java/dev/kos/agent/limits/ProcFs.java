package dev.kos.agent.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads what the JDK's ProcessHandle does not give: a process's resident memory, from /proc. */
public final class ProcFs {
  private static final Path PROC = Path.of("/proc");

  private ProcFs() {
  }

  /** VmRSS of a live process in bytes; empty when it is gone (or this is not Linux). */
  public static OptionalLong rssBytes(long pid) {
    try {
      return parseVmRss(Files.readString(PROC.resolve(Long.toString(pid)).resolve("status")));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** The VmRSS line of a /proc/PID/status text, in bytes; kernel threads have none. */
  static OptionalLong parseVmRss(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
        return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
      }
    }
    return OptionalLong.empty();
  }
}
