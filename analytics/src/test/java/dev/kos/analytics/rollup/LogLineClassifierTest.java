package dev.kos.analytics.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogLineClassifierTest {

  private static final String ACCESS = "10.0.0.7 - - [25/Nov/2026:04:52:13 +0000] \"GET /orders/42 HTTP/1.1\" ";

  static Stream<Arguments> lines() {
    return Stream.of(
        row("plain text has no level", "server listening on 8080", Level.OTHER, null, false),
        row("level as first word", "ERROR disk full", Level.ERROR, null, false),
        row("level in brackets", "2026-11-25 04:52:13 [WARN] slow", Level.WARN, null, false),
        row("WARNING counts as WARN", "WARNING: deprecated flag", Level.WARN, null, false),
        row("level after equals sign", "ts=1 level=DEBUG msg=x", Level.DEBUG, null, false),
        row("first level word wins", "INFO retry after ERROR", Level.INFO, null, false),
        row("case-sensitive", "error: lower case is not a level", Level.OTHER, null, false),
        row("longer word is not a level", "ERRORS=0 INFORMATION", Level.OTHER, null, false),
        row("underscore joins words", "MY_ERROR then INFO", Level.INFO, null, false),
        row("digits join words", "ERROR2 WARN", Level.WARN, null, false),
        row("level at the end", "done DEBUG", Level.DEBUG, null, false),
        row("empty line", "", Level.OTHER, null, false),
        row("access log 200", ACCESS + "200 512 12.5ms", Level.OTHER, new AccessLogEntry(200, 12.5), false),
        row("access log 503, whole ms", ACCESS + "503 0 1200ms", Level.OTHER, new AccessLogEntry(503, 1200), false),
        row("access log without bytes", ACCESS + "304 - 0.3ms", Level.OTHER, new AccessLogEntry(304, 0.3), false),
        row("access log 1xx", ACCESS + "101 0 1ms", Level.OTHER, new AccessLogEntry(101, 1), false),
        row("access log with trailing CR", ACCESS + "200 1 2ms\r", Level.OTHER, new AccessLogEntry(200, 2), false),
        row("access log with user", "::1 - alice [t] \"POST /a HTTP/2\" 201 3 4ms", Level.OTHER,
            new AccessLogEntry(201, 4), false),
        row("access log path naming a level", "h - - [t] \"GET /ERROR HTTP/1.1\" 404 9 1ms", Level.ERROR,
            new AccessLogEntry(404, 1), false),
        row("status above 599", ACCESS + "600 1 2ms", Level.OTHER, null, true),
        row("status below 100", ACCESS + "099 1 2ms", Level.OTHER, null, true),
        row("latency without ms", ACCESS + "200 1 2", Level.OTHER, null, true),
        row("missing status", ACCESS + "- 1 2ms", Level.OTHER, null, true),
        row("cut short", "10.0.0.7 - - [25/Nov/2026", Level.OTHER, null, true),
        row("request not quoted", "h - - [t] GET / HTTP/1.1 200 1 2ms", Level.OTHER, null, true),
        row("text after latency", ACCESS + "200 1 2ms extra", Level.OTHER, null, true),
        row("malformed keeps its level", "h - - [t] ERROR garbage", Level.ERROR, null, true),
        row("dash without bracket is not access-like", "a - b c", Level.OTHER, null, false),
        row("leading space is not access-like", " h - - [t] x", Level.OTHER, null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void shouldClassifyAsTheContractSays(String name, String line, Level level, AccessLogEntry access, boolean malformed) {
    assertThat(LogLineClassifier.classify(line))
        .isEqualTo(new ClassifiedLine(level, Optional.ofNullable(access), malformed));
  }

  private static Arguments row(String name, String line, Level level, AccessLogEntry access, boolean malformed) {
    return Arguments.of(name, line, level, access, malformed);
  }
}
