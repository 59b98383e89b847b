package dev.kos.systemtests.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The broker JVMs kos agents started under a test's directory, found by their command lines in /proc (the JDK's
 * {@code ProcessHandle.Info} gives up on command lines as long as a broker's classpath).
 */
final class BrokerProcesses {

  private BrokerProcesses() {
  }

  /** Broker processes whose volume {@code volumeId} lies under {@code root}. */
  static List<ProcessHandle> under(Path root, String volumeId) {
    return ProcessHandle.allProcesses().filter(p -> {
      String line = commandLine(p);
      return line.contains("kafka.Kafka") && line.contains(root.toString()) && line.contains("/" + volumeId + "/");
    }).toList();
  }

  /** Kills every process the test left behind under {@code root}: agents leave their tasks running when they close. */
  static void killAll(Path root) {
    ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(root.toString()))
        .forEach(ProcessHandle::destroyForcibly);
  }

  static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
