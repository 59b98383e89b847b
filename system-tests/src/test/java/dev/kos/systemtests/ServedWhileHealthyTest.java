package dev.kos.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.systemtests.ServedWhileHealthy.Report;
import dev.kos.systemtests.ServedWhileHealthy.Request;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The judge LoadBalancerIT applies to kos lb's access log: a request goes only to a task healthy and not killed. */
class ServedWhileHealthyTest {

  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  private static Request request(String task, long millis) {
    return new Request(task, at(millis), 200, task + "@" + millis);
  }

  static Stream<Arguments> cases() {
    List<Report> healthyFrom100 = List.of(new Report("w.0", at(0), false), new Report("w.0", at(100), true));
    List<Report> unhealthyAt500 = List.of(new Report("w.0", at(100), true), new Report("w.0", at(500), false));
    return Stream.of(
        Arguments.of("taken once healthy", healthyFrom100, Map.of(), request("w.0", 150), 0),
        Arguments.of("taken while still starting", healthyFrom100, Map.of(), request("w.0", 50), 1),
        Arguments.of("taken before any report", healthyFrom100, Map.of(), request("w.1", 150), 1),
        Arguments.of("taken after it turned unhealthy", unhealthyAt500, Map.of(), request("w.0", 600), 1),
        Arguments.of("taken before its kill", healthyFrom100, Map.of("w.0", at(300)), request("w.0", 250), 0),
        Arguments.of("taken after its kill", healthyFrom100, Map.of("w.0", at(300)), request("w.0", 350), 1),
        Arguments.of("taken in the kill's millisecond", healthyFrom100, Map.of("w.0", at(300)),
            new Request("w.0", at(300).plusNanos(400_000), 200, "w.0@300.4"), 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void shouldFlagOnlyRequestsToATaskThatWasNotHealthyOrWasKilled(String name, List<Report> reports,
      Map<String, Instant> kills, Request request, int violations) {
    assertThat(ServedWhileHealthy.violations(reports, kills, List.of(request))).hasSize(violations);
  }

  @Test
  void shouldReadTheBalancersAccessLogLine() {
    Request request = ServedWhileHealthy.parse(
        "2026-12-07T10:00:01Z /web 127.0.0.1 \"GET /\" 200 1.500ms web.3-1.0@127.0.0.1:31001 tries=1").orElseThrow();
    assertThat(request.taskId()).isEqualTo("web.3-1.0");
    assertThat(request.taken()).isEqualTo(Instant.parse("2026-12-07T10:00:00.998500Z"));
    assertThat(request.status()).isEqualTo(200);
    assertThat(ServedWhileHealthy.parse("2026-12-07T10:00:01Z /web 127.0.0.1 \"GET /\" 503 0.100ms - tries=0"))
        .isEmpty();
  }
}
