package dev.kos.lb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.testing.TestBus;
import dev.kos.lb.core.EndpointsView;
import dev.kos.lb.core.RetryPolicy;
import dev.kos.lb.core.Served;
import dev.kos.lb.core.Strategy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kos lb's TCP side on real sockets, no broker: {@link EdgeServer} is given a TCP app's backends directly, echo
 * servers that say their name first ({@link EchoBackends}).
 */
class EdgeServerTcpTest {

  private static final LbSettings SETTINGS = LbSettings.defaults("t").withBindHost("127.0.0.1");

  @Test
  @Timeout(60)
  void shouldRelayBytesBothWaysSpreadConnectionsAndSkipARefusingBackend() throws Exception {
    try (EchoBackends echoes = new EchoBackends()) {
      int a = echoes.start("a");
      int b = echoes.start("b");
      int refusing = KosLbIT.freePort();
      int servicePort = KosLbIT.freePort();
      List<Served> served = new CopyOnWriteArrayList<>();
      try (EdgeServer edge = new EdgeServer(SETTINGS, Clock.systemUTC(), served::add).start()) {
        edge.apply("/db", tcp(servicePort, "a.0", a, "b.0", b, "dead.0", refusing));

        Map<String, Integer> byBackend = new HashMap<>();
        for (int i = 0; i < 9; i++) {
          try (Socket socket = connect(servicePort)) {
            byBackend.merge(readLine(socket.getInputStream()), 1, Integer::sum);
          }
        }
        assertThat(byBackend).as("the refusing backend is tried, then another: no connection fails")
            .containsOnlyKeys("a", "b");

        // 1 MiB through and back, then a half close: the backend sees the end, echoes the rest and closes.
        byte[] payload = new byte[1 << 20];
        new Random(7).nextBytes(payload);
        try (Socket socket = connect(servicePort)) {
          InputStream in = socket.getInputStream();
          readLine(in);
          Thread writer = new Thread(() -> {
            try {
              socket.getOutputStream().write(payload);
              socket.shutdownOutput();
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
          });
          writer.start();
          byte[] back = in.readAllBytes();
          writer.join();
          assertThat(Arrays.equals(back, payload)).as("the %d bytes came back as sent", back.length).isTrue();
        }
        TestBus.await("the connections logged", () -> served.size() >= 10);
        assertThat(served).allSatisfy(s -> assertThat(s.method()).isEqualTo("TCP"));
        assertThat(served).allSatisfy(s -> assertThat(s.status()).as(s.line()).isEqualTo(200));
        assertThat(served).anySatisfy(s -> assertThat(s.tries()).as(s.line()).isEqualTo(2));
        TestBus.await("no connection in flight", () -> edge.inFlight().get("/db").values().stream()
            .allMatch(n -> n == 0));
      }
    }
  }

  @Test
  @Timeout(60)
  void shouldGiveALeavingBackendNoNewConnectionAndLetItsOpenOnesDrain() throws Exception {
    try (EchoBackends echoes = new EchoBackends()) {
      int a = echoes.start("a");
      int b = echoes.start("b");
      int servicePort = KosLbIT.freePort();
      try (EdgeServer edge = new EdgeServer(SETTINGS, Clock.systemUTC(), s -> { }).start()) {
        edge.apply("/db", tcp(servicePort, "a.0", a, "b.0", b));
        Socket onB = null;
        for (int i = 0; i < 4 && onB == null; i++) {
          Socket socket = connect(servicePort);
          if (readLine(socket.getInputStream()).equals("b")) {
            onB = socket;
          }
        }
        assertThat(onB).as("a connection went to b").isNotNull();
        try (Socket open = onB) {
          edge.apply("/db", tcp(servicePort, "a.0", a));
          for (int i = 0; i < 6; i++) {
            try (Socket socket = connect(servicePort)) {
              assertThat(readLine(socket.getInputStream())).isEqualTo("a");
            }
          }
          open.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
          assertThat(readLine(open.getInputStream())).as("b's open connection still relays").isEqualTo("still here");
        }
      }
    }
  }

  @Test
  @Timeout(60)
  void shouldRefuseAConnectionWhenEveryBackendIsAtItsLimit() throws Exception {
    LbSettings one = new LbSettings("t", "127.0.0.1", Optional.empty(), Strategy.LEAST_CONNECTIONS, 1,
        RetryPolicy.DEFAULT, Duration.ofSeconds(2), false, Duration.ZERO);
    try (EchoBackends echoes = new EchoBackends()) {
      int a = echoes.start("a");
      int servicePort = KosLbIT.freePort();
      try (EdgeServer edge = new EdgeServer(one, Clock.systemUTC(), s -> { }).start()) {
        edge.apply("/db", tcp(servicePort, "a.0", a));
        try (Socket first = connect(servicePort); Socket second = connect(servicePort)) {
          assertThat(readLine(first.getInputStream())).isEqualTo("a");
          assertThat(second.getInputStream().read()).as("the second connection is closed unserved").isEqualTo(-1);
        }
      }
    }
  }

  @Test
  @Timeout(60)
  void shouldReopenTheServicePortAsTcpWhenAnHttpAppTurnsTcp() throws Exception {
    try (EchoBackends echoes = new EchoBackends()) {
      int a = echoes.start("a");
      int servicePort = KosLbIT.freePort();
      try (EdgeServer edge = new EdgeServer(SETTINGS, Clock.systemUTC(), s -> { }).start()) {
        edge.apply("/db", Optional.of(new EndpointsView("/db", List.of("db"),
            List.of(new EndpointsView.InstanceView("a.0", "127.0.0.1", List.of(a))), Optional.of(servicePort), "")));
        try (Socket socket = connect(servicePort)) {
          socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          assertThat(readLine(socket.getInputStream())).as("an HTTP listener answers HTTP").startsWith("HTTP/1.1 ");
        }
        edge.apply("/db", tcp(servicePort, "a.0", a));
        assertThat(edge.ports()).containsEntry(servicePort, "/db");
        try (Socket socket = connect(servicePort)) {
          assertThat(readLine(socket.getInputStream())).as("the port now relays TCP").isEqualTo("a");
        }
      }
    }
  }

  static Optional<EndpointsView> tcp(int servicePort, Object... taskAndPort) {
    List<EndpointsView.InstanceView> instances = new java.util.ArrayList<>();
    for (int i = 0; i < taskAndPort.length; i += 2) {
      instances.add(new EndpointsView.InstanceView((String) taskAndPort[i], "127.0.0.1",
          List.of((Integer) taskAndPort[i + 1])));
    }
    return Optional.of(new EndpointsView("/db", List.of("db"), instances, Optional.of(servicePort), "", "tcp"));
  }

  static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(20_000);
    return socket;
  }

  /** One line (without its end), read byte by byte so nothing after it is taken from the stream. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return line.size() == 0 ? "<closed>" : line.toString(StandardCharsets.UTF_8);
      }
      line.write(c);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
