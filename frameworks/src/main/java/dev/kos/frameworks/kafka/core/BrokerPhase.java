package dev.kos.frameworks.kafka.core;

/**
 * Where a broker is on its way to running, and back. A broker is placed in three offers: the first reserves
 * its resources and ports on an agent, the second (carrying that reservation) creates its volume, the third
 * launches it. Three, because the allocator sends an accept's volume operations after its launches, and a
 * reserve rescinds the agent's outstanding offers, the accepted one included.
 */
public enum BrokerPhase {
  /** No agent yet: waits for an offer with room for it. */
  NEW,
  /** Reserve sent: waits for an offer of its agent that carries the reservation, to create the volume. */
  RESERVED,
  /** Volume requested: waits for an offer of its agent to launch on. */
  VOLUME_READY,
  /** Launch sent; the agent has not reported RUNNING yet. */
  LAUNCHING,
  RUNNING,
  /** Running, but being removed: its partitions move to the other brokers, then it is killed. */
  DRAINING,
  /** Killed on purpose (rolling restart); relaunched on the same agent once it ended. */
  STOPPING,
  /** Its task ended; relaunched on the same agent, with the same volume. */
  STOPPED,
  /** Removed from the cluster: killed, waiting for its task to end. */
  REMOVING,
  /** Its task ended for good: its volume is destroyed on the next offer of its agent. */
  RETIRED,
  /** Its volume is gone: its reservation is handed back on the next offer of its agent, then it is forgotten. */
  UNRESERVING,
  /** Its cluster is being deleted while its task runs: the next planning step kills it (then REMOVING). */
  DELETING;

  public boolean placed() {
    return this != NEW;
  }
}
