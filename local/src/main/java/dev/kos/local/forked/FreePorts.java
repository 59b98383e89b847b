package dev.kos.local.forked;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on the loopback address, where the forked nodes listen. */
public final class FreePorts {

  private FreePorts() {}

  /** A port free at this moment, other than {@code taken} (a node's two ports must differ). */
  public static int otherThan(int taken) {
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
