package dev.kos.bus.embedded;

import java.util.OptionalLong;

/** What to do with a data directory: format it, reuse it, or refuse it with a reason. */
public sealed interface DataDirVerdict {

  /** Fresh storage: format with a new cluster id; a zero port is picked free by the launcher. */
  record Format(BrokerPorts ports) implements DataDirVerdict {}

  /**
   * Formatted storage that kos can start again.
   *
   * @param crashedBrokerPid the pid of a previous broker that died without cleaning up, if any
   */
  record Reuse(BrokerRecord record, OptionalLong crashedBrokerPid) implements DataDirVerdict {}

  /** The directory cannot be used; {@code reason} tells the user why and what to do. */
  record Refuse(String reason) implements DataDirVerdict {}
}
