package dev.kos.lb;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/** Real HTTP backends for the tests: each answers with its name and the request's X-Forwarded-* headers. */
final class Backends implements AutoCloseable {

  private final List<HttpServer> servers = new ArrayList<>();

  /** Starts a backend named {@code name} on a free port of 127.0.0.1; returns the port. */
  int start(String name) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", exchange -> {
        Map<String, String> forwarded = new TreeMap<>();
        exchange.getRequestHeaders().forEach((header, values) -> {
          if (header.toLowerCase().startsWith("x-forwarded")) {
            forwarded.put(header.toLowerCase(), String.join(",", values));
          }
        });
        byte[] body = (name + " " + exchange.getRequestURI() + " " + forwarded + "\n")
            .getBytes(StandardCharsets.UTF_8);
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
      servers.add(server);
      return server.getAddress().getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }
}
