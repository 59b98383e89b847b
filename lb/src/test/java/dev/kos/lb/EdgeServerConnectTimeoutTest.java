package dev.kos.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.lb.core.EndpointsView;
import dev.kos.lb.core.Served;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A backend that takes no connection (its accept queue full: a stalled process, an overloaded one, a host that
 * drops packets) counts as refusing once the balancer's connect timeout passes, and the request goes to another
 * backend. Without the timeout the request waited for the kernel to give up on the connection (about two minutes).
 * Real sockets, no broker: {@link EdgeServer} is given its backends directly.
 */
class EdgeServerConnectTimeoutTest {

  @Test
  @Timeout(120)
  void shouldTryAnotherBackendWhenOneTakesNoConnectionWithinTheConnectTimeout() throws Exception {
    List<Socket> filling = new ArrayList<>();
    try (ServerSocket stuck = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Backends backends = new Backends()) {
      fillAcceptQueue(stuck, filling);
      int good = backends.start("good");
      int servicePort = KosLbIT.freePort();
      List<Served> served = new CopyOnWriteArrayList<>();
      try (EdgeServer edge = new EdgeServer(LbSettings.defaults("t").withBindHost("127.0.0.1"), Clock.systemUTC(),
          served::add).start()) {
        // The stuck backend is listed first: the first request's first try goes to it (ticket 0, equal loads).
        edge.apply("/web", Optional.of(new EndpointsView("/web", List.of("http"), List.of(
            new EndpointsView.InstanceView("stuck.0", "127.0.0.1", List.of(stuck.getLocalPort())),
            new EndpointsView.InstanceView("good.0", "127.0.0.1", List.of(good))), Optional.of(servicePort), "")));

        // The client's timeout is a guard, far above the balancer's connect timeout (2 s) and far below the kernel's.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + servicePort + "/")).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("good ");
        assertThat(served).hasSize(1);
        assertThat(served.get(0).tries()).as(served.get(0).line()).isEqualTo(2);
      }
    } finally {
      for (Socket socket : filling) {
        socket.close();
      }
    }
  }

  /** Connects until the kernel drops the connection attempts: nothing accepts, the queue is full. */
  private static void fillAcceptQueue(ServerSocket server, List<Socket> filling) throws Exception {
    for (int i = 0; i < 16; i++) {
      Socket socket = new Socket();
      filling.add(socket);
      try {
        socket.connect(server.getLocalSocketAddress(), 500);
      } catch (SocketTimeoutException full) {
        return;
      }
    }
    throw new IllegalStateException("the accept queue of " + server + " never filled up");
  }
}
