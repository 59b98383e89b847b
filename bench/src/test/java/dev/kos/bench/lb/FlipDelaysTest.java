package dev.kos.bench.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlipDelaysTest {

  @Test
  void shouldCountMissedFlipsApartFromThePercentiles() {
    List<Long> delays = new ArrayList<>();
    for (long d = 1; d <= 100; d++) {
      delays.add(d * 1000);
    }
    delays.add(-1L);
    delays.add(-1L);
    FlipDelays figures = FlipDelays.of(delays);
    assertThat(figures.observed()).isEqualTo(100);
    assertThat(figures.missed()).isEqualTo(2);
    assertThat(figures.p50Micros()).isEqualTo(50_000);
    assertThat(figures.p99Micros()).isEqualTo(99_000);
    assertThat(figures.maxMicros()).isEqualTo(100_000);
  }

  @Test
  void shouldSayNothingWasSeenWhenEveryFlipWasMissed() {
    FlipDelays figures = FlipDelays.of(List.of(-1L, -1L));
    assertThat(figures.observed()).isZero();
    assertThat(figures.missed()).isEqualTo(2);
    assertThat(figures.p99Micros()).isEqualTo(-1);
  }
}
