package dev.kos.bus.embedded;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the launcher found in a data directory before starting a broker, already read from disk
 * and from the process table, so that {@link DataDirDecision} can stay a pure function.
 *
 * @param dir the data directory, for messages
 * @param record kos's own record of the broker, if present
 * @param storage Kafka's formatted storage identity, if the log directory has been formatted
 * @param recordedPid the pid of the broker kos last started there, if its pid file remains
 * @param recordedPidAlive whether that pid is still a running broker process
 * @param storageLocked whether some process holds Kafka's {@code .lock} in the log directory
 */
public record DataDirSnapshot(
    Path dir,
    Optional<BrokerRecord> record,
    Optional<FormattedStorage> storage,
    OptionalLong recordedPid,
    boolean recordedPidAlive,
    boolean storageLocked) {

  /** A directory with nothing in it. */
  public static DataDirSnapshot empty(Path dir) {
    return new DataDirSnapshot(dir, Optional.empty(), Optional.empty(), OptionalLong.empty(), false, false);
  }
}
