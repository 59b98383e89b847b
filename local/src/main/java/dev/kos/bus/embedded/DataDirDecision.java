package dev.kos.bus.embedded;

import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Decides whether a data directory is formatted afresh, reused, or refused. Pure: everything it
 * needs about disk, processes and ports arrives as arguments.
 */
public final class DataDirDecision {

  /** kos runs exactly one combined broker/controller, always with this node id. */
  public static final int NODE_ID = 1;

  private DataDirDecision() {}

  /**
   * @param found what is in the directory
   * @param requested ports the user asked for; zero means "keep the recorded one, or pick"
   * @param portInUse whether another process listens on a port
   */
  public static DataDirVerdict decide(DataDirSnapshot found, BrokerPorts requested, IntPredicate portInUse) {
    if (found.storageLocked() || found.recordedPidAlive()) {
      return new DataDirVerdict.Refuse(inUseMessage(found));
    }
    Optional<BrokerPorts> recordedPorts = found.record().map(BrokerRecord::ports);
    BrokerPorts ports = requested.orElse(recordedPorts.orElse(BrokerPorts.ANY));
    Optional<String> busy = busyPortMessage(found, ports, requested, portInUse);
    if (found.storage().isEmpty()) {
      return busy.<DataDirVerdict>map(DataDirVerdict.Refuse::new).orElse(new DataDirVerdict.Format(ports));
    }
    FormattedStorage storage = found.storage().get();
    if (storage.nodeId() != NODE_ID) {
      return new DataDirVerdict.Refuse(String.format(
          "Data directory %s was formatted for node.id=%d, but kos runs its broker as node.id=%d. "
              + "Delete the directory or choose another --data-dir.",
          found.dir(), storage.nodeId(), NODE_ID));
    }
    if (found.record().isEmpty()) {
      return new DataDirVerdict.Refuse(String.format(
          "Data directory %s holds Kafka storage that kos did not create (no %s), so its ports "
              + "are unknown. Delete the directory or choose another --data-dir.",
          found.dir(), BrokerLayout.RECORD_FILE));
    }
    BrokerRecord record = found.record().get();
    if (!record.clusterId().equals(storage.clusterId())) {
      return new DataDirVerdict.Refuse(String.format(
          "Data directory %s is inconsistent: %s names cluster %s but the storage was formatted "
              + "for cluster %s. Delete the directory or choose another --data-dir.",
          found.dir(), BrokerLayout.RECORD_FILE, record.clusterId(), storage.clusterId()));
    }
    return busy.<DataDirVerdict>map(DataDirVerdict.Refuse::new)
        .orElse(new DataDirVerdict.Reuse(record.withPorts(ports), found.recordedPid()));
  }

  private static String inUseMessage(DataDirSnapshot found) {
    if (found.recordedPidAlive()) {
      long pid = found.recordedPid().orElseThrow();
      return String.format(
          "Data directory %s is in use by a running broker (pid %d). Stop it first "
              + "(kill %d, or Ctrl-C in its `kos up`), or choose another --data-dir.",
          found.dir(), pid, pid);
    }
    return String.format(
        "Data directory %s is in use: another process holds Kafka's lock file in it. "
            + "Stop that broker first, or choose another --data-dir.",
        found.dir());
  }

  private static Optional<String> busyPortMessage(
      DataDirSnapshot found, BrokerPorts ports, BrokerPorts requested, IntPredicate portInUse) {
    return busyPortMessage(found, "broker", ports.broker(), requested.broker(), portInUse)
        .or(() -> busyPortMessage(found, "controller", ports.controller(), requested.controller(), portInUse));
  }

  private static Optional<String> busyPortMessage(
      DataDirSnapshot found, String role, int port, int requestedPort, IntPredicate portInUse) {
    if (port == 0 || !portInUse.test(port)) {
      return Optional.empty();
    }
    String origin = requestedPort != 0
        ? "was requested"
        : "is recorded in " + found.dir().resolve(BrokerLayout.RECORD_FILE) + " so that clients keep their bootstrap address";
    return Optional.of(String.format(
        "The %s port %d %s, but another process is listening on it. Free the port, or pass a "
            + "different port explicitly.",
        role, port, origin));
  }
}
