package dev.kos.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskLeaseTest {

  @ParameterizedTest(name = "{0} ms: on {1}, {2} s, renewed every {3} ms")
  @CsvSource({
      "0,      false, 0,  0",
      "2000,   true,  2,  500",
      "3000,   true,  3,  750",
      "4000,   true,  4,  1000",
      "15000,  true,  15, 1000",
      "600000, true,  600, 1000"})
  void validLeases(long millis, boolean enabled, long seconds, long renewMillis) {
    TaskLease lease = new TaskLease(Duration.ofMillis(millis));

    assertThat(lease.enabled()).isEqualTo(enabled);
    assertThat(lease.seconds()).isEqualTo(seconds);
    assertThat(lease.renewInterval()).isEqualTo(Duration.ofMillis(renewMillis));
  }

  @ParameterizedTest(name = "{0} ms is refused: {1}")
  @CsvSource(delimiter = '|', value = {
      "-1000 | 0 (off) or more",
      "1     | at least 2 s, got 1 ms",
      "1000  | at least 2 s, got 1000 ms",
      "1999  | at least 2 s, got 1999 ms",
      "2500  | whole seconds (tasks compare file times to the second), got 2500 ms"})
  void invalidLeases(long millis, String why) {
    assertThatThrownBy(() -> new TaskLease(Duration.ofMillis(millis)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why);
  }

  @ParameterizedTest
  @CsvSource({"2000", "3000", "10000", "15000", "60000"})
  void aLiveAgentRenewsAtLeastFourTimesPerLeaseSoThatALateRenewalNeverLetsItLapse(long millis) {
    TaskLease lease = new TaskLease(Duration.ofMillis(millis));

    assertThat(lease.renewInterval().multipliedBy(4)).isLessThanOrEqualTo(lease.duration());
    assertThat(lease.renewInterval()).isLessThanOrEqualTo(Duration.ofSeconds(1));
  }
}
