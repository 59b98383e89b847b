package dev.kos.agent.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP {@code /health} endpoint on loopback whose answer a test changes to make a check fail. */
public final class HealthEndpoint implements AutoCloseable {

  private final HttpServer server;
  private final AtomicInteger status = new AtomicInteger(200);

  public HealthEndpoint(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/health", exchange -> {
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
  }

  /** From now on, answer with this HTTP status. */
  public void answer(int httpStatus) {
    status.set(httpStatus);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
