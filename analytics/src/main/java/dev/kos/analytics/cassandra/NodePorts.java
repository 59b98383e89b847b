package dev.kos.analytics.cassandra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** The node's two listening ports on the loopback address. */
record NodePorts(int cql, int storage) {

  /** Replaces each zero port with a currently free one, the two distinct. */
  static NodePorts chooseFree(int requestedCql, int requestedStorage) {
    int cql = requestedCql != 0 ? requestedCql : freePortOtherThan(requestedStorage);
    int storage = requestedStorage != 0 ? requestedStorage : freePortOtherThan(cql);
    return new NodePorts(cql, storage);
  }

  private static int freePortOtherThan(int taken) {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (socket.getLocalPort() != taken) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot find a free port on the loopback address", e);
      }
    }
  }
}
