package dev.kos.bench.lb;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's backends: small Undertow servers on 127.0.0.1 that answer every request with a short fixed body
 * from their I/O thread, so a backend costs as little as it can and the balancers are what differs.
 */
final class Backends implements AutoCloseable {

  private static final String BODY = "hello from a bench backend\n";
  private final List<Undertow> servers = new ArrayList<>();
  private final List<InetSocketAddress> addresses = new ArrayList<>();

  Backends(int count) {
    for (int i = 0; i < count; i++) {
      Undertow server = Undertow.builder().setIoThreads(1).setWorkerThreads(1)
          .addHttpListener(0, "127.0.0.1", exchange -> {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
            exchange.getResponseSender().send(BODY);
          }).build();
      server.start();
      servers.add(server);
      addresses.add((InetSocketAddress) server.getListenerInfo().get(0).getAddress());
    }
  }

  List<InetSocketAddress> addresses() {
    return List.copyOf(addresses);
  }

  @Override
  public void close() {
    servers.forEach(Undertow::stop);
  }
}
