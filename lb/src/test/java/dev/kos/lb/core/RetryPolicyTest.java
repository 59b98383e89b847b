package dev.kos.lb.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.lb.core.RetryPolicy.Failure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {

  @ParameterizedTest(name = "{0} {1} after {2} of 3 tries: {3}")
  @CsvSource({
      "GET,    REFUSED,           1, true",
      "POST,   REFUSED,           1, true",
      "GET,    BROKEN_AFTER_SEND, 1, true",
      "get,    BROKEN_AFTER_SEND, 2, true",
      "PUT,    BROKEN_AFTER_SEND, 1, true",
      "DELETE, BROKEN_AFTER_SEND, 1, true",
      "POST,   BROKEN_AFTER_SEND, 1, false",
      "PATCH,  BROKEN_AFTER_SEND, 1, false",
      "GET,    REFUSED,           3, false",
      "POST,   REFUSED,           3, false",
  })
  void decides(String method, Failure failure, int attempts, boolean retry) {
    assertThat(new RetryPolicy(3).mayRetry(method, failure, attempts)).isEqualTo(retry);
  }
}
