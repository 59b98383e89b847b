package dev.kos.lb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plain TCP backends for the tests: each says its name on a line when a client connects, then echoes every byte
 * back until the client ends its side, and then closes. One thread per connection (test code).
 */
final class EchoBackends implements AutoCloseable {

  private final List<ServerSocket> servers = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Starts a backend named {@code name} on a free port of 127.0.0.1; returns the port. */
  int start(String name) {
    try {
      ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      servers.add(server);
      Thread acceptor = new Thread(() -> {
        while (!server.isClosed()) {
          try {
            Socket socket = server.accept();
            sockets.add(socket);
            Thread echo = new Thread(() -> echo(name, socket), "echo-" + name);
            echo.setDaemon(true);
            echo.start();
          } catch (IOException closed) {
            return;
          }
        }
      }, "echo-accept-" + name);
      acceptor.setDaemon(true);
      acceptor.start();
      return server.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void echo(String name, Socket socket) {
    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
      out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The client went away.
    }
  }

  @Override
  public void close() throws IOException {
    for (ServerSocket server : servers) {
      server.close();
    }
    for (Socket socket : sockets) {
      socket.close();
    }
  }
}
