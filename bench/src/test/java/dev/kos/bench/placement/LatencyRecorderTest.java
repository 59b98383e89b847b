package dev.kos.bench.placement;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

  @Test
  void shouldAnswerPercentilesAtMillisecondResolution() {
    LatencyRecorder recorder = new LatencyRecorder();
    for (int millis = 1; millis <= 100; millis++) {
      recorder.record(millis);
    }

    assertThat(recorder.count()).isEqualTo(100);
    assertThat(recorder.percentile(0.50)).isEqualTo(50);
    assertThat(recorder.percentile(0.99)).isEqualTo(99);
    assertThat(recorder.percentile(1.0)).isEqualTo(100);
  }

  @Test
  void shouldClampLatenciesOutsideItsRange() {
    LatencyRecorder recorder = new LatencyRecorder();
    recorder.record(-5);
    recorder.record(LatencyRecorder.MAX_MILLIS + 1_000);

    assertThat(recorder.percentile(0.5)).isZero();
    assertThat(recorder.percentile(1.0)).isEqualTo(LatencyRecorder.MAX_MILLIS);
  }

  @Test
  void shouldSayWhenItHasNothing() {
    assertThat(new LatencyRecorder().percentile(0.99)).isEqualTo(-1);
  }
}
