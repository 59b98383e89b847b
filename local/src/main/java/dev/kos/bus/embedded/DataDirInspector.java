package dev.kos.bus.embedded;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/** Reads a {@link DataDirSnapshot} from disk and from the process table. */
final class DataDirInspector {

  private DataDirInspector() {}

  static DataDirSnapshot inspect(BrokerLayout layout) {
    OptionalLong pid = readPid(layout.pidFile());
    return new DataDirSnapshot(
        layout.root(),
        readRecord(layout),
        readStorage(layout),
        pid,
        pid.isPresent() && isLiveBroker(pid.getAsLong()),
        isLocked(layout.kafkaLock()));
  }

  private static Optional<BrokerRecord> readRecord(BrokerLayout layout) {
    return readProperties(layout.record()).map(properties -> {
      try {
        return BrokerRecord.fromProperties(properties);
      } catch (IllegalArgumentException e) {
        throw new EmbeddedKafkaException(
            "Cannot read " + layout.record() + ": " + e.getMessage()
                + ". Repair or delete the file, or choose another --data-dir.", e);
      }
    });
  }

  private static Optional<FormattedStorage> readStorage(BrokerLayout layout) {
    return readProperties(layout.metaProperties()).map(properties -> {
      try {
        return new FormattedStorage(
            properties.getProperty("cluster.id", ""), Integer.parseInt(properties.getProperty("node.id", "-1")));
      } catch (NumberFormatException e) {
        throw new EmbeddedKafkaException("Corrupt node.id in " + layout.metaProperties(), e);
      }
    });
  }

  private static Optional<Properties> readProperties(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Properties properties = new Properties();
      properties.load(reader);
      return Optional.of(properties);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static OptionalLong readPid(Path pidFile) {
    if (!Files.isRegularFile(pidFile)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(pidFile).trim()));
    } catch (IOException | NumberFormatException e) {
      // A torn or unreadable pid file says nothing about a live process; Kafka's lock still does.
      return OptionalLong.empty();
    }
  }

  /**
   * Whether {@code pid} is alive and is a JVM: after a reboot the number may belong to an unrelated
   * process. The main class cannot be checked because the JDK cuts command lines at 4 KB, well
   * before the classpath ends; Kafka's lock file, checked too, is the exact test. When the
   * executable cannot be read, assume it is the broker (the safe side).
   */
  private static boolean isLiveBroker(long pid) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(handle -> handle.info().command().map(DataDirInspector::isJava).orElse(true))
        .orElse(false);
  }

  private static boolean isJava(String executable) {
    String name = Path.of(executable).getFileName().toString();
    return name.equals("java") || name.equals("java.exe");
  }

  /** Whether another process holds the lock Kafka takes on its log directory while it runs. */
  private static boolean isLocked(Path lockFile) {
    if (!Files.isRegularFile(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot probe Kafka's lock file " + lockFile, e);
    }
  }
}
