package dev.kos.agent.container.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RuncStatsTest {

  static Stream<Arguments> events() {
    return Stream.of(
        // as runc 1.1.5 prints it on this project's cgroup v1 hosts (shortened)
        Arguments.of("cgroup v1: total_rss over rss and usage",
            """
            {"type":"stats","id":"a1.web","data":{"cpu":{"usage":{"total":9597623,"percpu":[7265663,2331960],
            "kernel":0,"user":0},"throttling":{}},"memory":{"usage":{"limit":33554432,"usage":552960,"max":2256896,
            "failcnt":0},"raw":{"cache":4096,"rss":49152,"total_rss":1421312}},"pids":{"current":1,"limit":4096}}}
            """, new RuncStats.Usage(9_597_623, 1_421_312, 1)),
        Arguments.of("cgroup v1 without sub-cgroup totals: rss",
            """
            {"type":"stats","id":"x","data":{"cpu":{"usage":{"total":5}},"memory":{"raw":{"rss":8192}},
            "pids":{"current":3}}}
            """, new RuncStats.Usage(5, 8192, 3)),
        Arguments.of("cgroup v2: anon",
            """
            {"type":"stats","id":"x","data":{"cpu":{"usage":{"total":2000000000}},"memory":{"usage":{"usage":900000},
            "raw":{"anon":700000,"file":200000}},"pids":{"current":2}}}
            """, new RuncStats.Usage(2_000_000_000L, 700_000, 2)),
        Arguments.of("no memory.stat: the cgroup's usage",
            """
            {"type":"stats","id":"x","data":{"cpu":{"usage":{"total":1}},"memory":{"usage":{"usage":4096}}}}
            """, new RuncStats.Usage(1, 4096, 0)),
        Arguments.of("a zero counter is a value, not a gap",
            """
            {"type":"stats","id":"x","data":{"memory":{"usage":{"usage":4096},"raw":{"total_rss":0}}}}
            """, new RuncStats.Usage(0, 0, 0)),
        Arguments.of("nothing measured yet", """
            {"type":"stats","id":"x","data":{}}
            """, new RuncStats.Usage(0, 0, 0)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("events")
  void shouldReadTheUsageOfAStatsEvent(String name, String json, RuncStats.Usage expected) {
    assertThat(RuncStats.parse(json)).isEqualTo(expected);
  }

  static Stream<Arguments> notStats() {
    return Stream.of(
        Arguments.of("", "runc events --stats printed no stats event: (nothing)"),
        Arguments.of("container \"x\" does not exist", "runc events --stats printed no JSON: container \"x\" does not exist"),
        Arguments.of("{\"type\":\"oom\",\"id\":\"x\"}", "runc events --stats printed no stats event: {\"type\":\"oom\",\"id\":\"x\"}"),
        Arguments.of("{\"type\":\"stats\",\"id\":\"x\"}", "runc events --stats printed no stats event: {\"type\":\"stats\",\"id\":\"x\"}"),
        Arguments.of("[1,2]", "runc events --stats printed no stats event: [1,2]"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @MethodSource("notStats")
  void shouldRefuseWhatIsNoStatsEventSayingWhatItIs(String output, String reason) {
    assertThatThrownBy(() -> RuncStats.parse(output)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }
}
