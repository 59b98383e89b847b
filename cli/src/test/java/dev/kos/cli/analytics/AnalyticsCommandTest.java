package dev.kos.cli.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.cli.Kos;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `kos analytics` says when it cannot read rollups; the happy paths run in AnalyticsCommandIT. */
class AnalyticsCommandTest {

  @TempDir
  Path home;

  private record Result(int exitCode, String out, String err) {}

  private Result kos(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Kos.run(Map.of("KOS_HOME", home.toString()), new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void shouldSayHowToGetACassandraWhenNoneIsConfigured() {
    Result result = kos("analytics", "top");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("no Cassandra to read rollups from; start it with `kos up --analytics`");
  }

  @Test
  void shouldSayHowToGetACassandraWhenItIsUnreachable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }

    Result result = kos("analytics", "http", "--app", "web", "--cassandra", "127.0.0.1:" + closedPort);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("cannot reach Cassandra at 127.0.0.1:" + closedPort)
        .contains("start it with `kos up --analytics` or pass --cassandra");
  }

  @Test
  void shouldRejectAnUnknownMetricOrWidthBeforeConnecting() {
    assertThat(kos("analytics", "top", "--metric", "fun", "--cassandra", "127.0.0.1:1").err())
        .contains("unknown metric 'fun'; choose one of errors, warnings, lines, bytes, requests, 5xx, malformed");
    assertThat(kos("analytics", "rollup", "--app", "web", "--by", "day", "--cassandra", "127.0.0.1:1").err())
        .contains("--by must be minute or hour");
  }
}
