package dev.kos.agent.fetch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.fetch.core.RetryPolicy.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RetryPolicyTest {

  private static final Instant START = Instant.parse("2026-12-07T10:00:00Z");
  private static final RetryPolicy POLICY = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(3),
      Duration.ofSeconds(30));

  static Stream<Arguments> decisions() {
    return Stream.of(
        Arguments.of("a permanent failure is not retried", POLICY, 1, false, 0,
            new Decision.GiveUp("")),
        Arguments.of("first transient failure: the first backoff", POLICY, 1, true, 0,
            new Decision.Retry(Duration.ofSeconds(1))),
        Arguments.of("second: doubled", POLICY, 2, true, 2, new Decision.Retry(Duration.ofSeconds(2))),
        Arguments.of("third: doubled again, capped at the longest", POLICY, 3, true, 5,
            new Decision.Retry(Duration.ofSeconds(3))),
        Arguments.of("all attempts made", POLICY, 4, true, 9,
            new Decision.GiveUp(" (gave up after 4 attempts)")),
        Arguments.of("the next attempt would start past the budget", POLICY, 2, true, 29,
            new Decision.GiveUp(" (gave up after 2 attempts: another would start more than 30 s after the first)")),
        Arguments.of("exactly at the budget still retries", POLICY, 1, true, 29,
            new Decision.Retry(Duration.ofSeconds(1))),
        Arguments.of("one attempt: never retried, nothing to add", new RetryPolicy(1, Duration.ZERO, Duration.ZERO,
            Duration.ZERO), 1, true, 0, new Decision.GiveUp("")),
        Arguments.of("no backoff", new RetryPolicy(3, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)), 2, true,
            0, new Decision.Retry(Duration.ZERO)),
        Arguments.of("a huge attempt count does not overflow the backoff", new RetryPolicy(1_000, Duration.ofMillis(1),
            Duration.ofSeconds(5), Duration.ofDays(1)), 999, true, 0, new Decision.Retry(Duration.ofSeconds(5))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void shouldDecideWhetherAndWhenToRetry(String name, RetryPolicy policy, int attemptsMade, boolean transientFailure,
      long secondsSinceFirst, Decision expected) {
    assertThat(policy.after(attemptsMade, transientFailure, START, START.plusSeconds(secondsSinceFirst)))
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "HTTP {0}: transient {1}")
  @CsvSource({"500,true", "502,true", "503,true", "504,true", "408,true", "429,true", "404,false", "403,false",
      "401,false", "400,false", "410,false"})
  void shouldRetryTheServersTroubleNotTheRequests(int status, boolean transientStatus) {
    assertThat(RetryPolicy.transientStatus(status)).isEqualTo(transientStatus);
  }

  @ParameterizedTest(name = "{0} attempts, {1} ms to {2} ms")
  @CsvSource({"0,0,0", "1,-1,0", "1,10,5"})
  void shouldRefuseAPolicyThatCannotWork(int attempts, long first, long max) {
    assertThatThrownBy(() -> new RetryPolicy(attempts, Duration.ofMillis(first), Duration.ofMillis(max),
        Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
