package dev.kos.analytics.cassandra;

import dev.kos.local.forked.FreePorts;

/** The node's two listening ports on the loopback address. */
record NodePorts(int cql, int storage) {

  /** Replaces each zero port with a currently free one, the two distinct. */
  static NodePorts chooseFree(int requestedCql, int requestedStorage) {
    int cql = requestedCql != 0 ? requestedCql : FreePorts.otherThan(requestedStorage);
    int storage = requestedStorage != 0 ? requestedStorage : FreePorts.otherThan(cql);
    return new NodePorts(cql, storage);
  }
}
