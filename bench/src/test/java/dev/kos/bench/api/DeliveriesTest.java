package dev.kos.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveriesTest {
  private static final long NONE = Deliveries.none();

  @Test
  void shouldMeasureEachProbeFromItsSendToItsReceiptInMicros() {
    Deliveries.Summary summary = Deliveries.summarise(new long[] {1_000_000, 2_000_000, 3_000_000},
        new long[] {6_000_000, 2_500_000, 3_001_000});

    assertThat(summary.delaysMicros()).containsExactly(5_000, 500, 1);
    assertThat(summary.sent()).isEqualTo(3);
    assertThat(summary.complete()).isTrue();
    assertThat(summary.percentileMicros(0.5)).isEqualTo(500);
    assertThat(summary.percentileMicros(0.99)).isEqualTo(5_000);
  }

  @Test
  void shouldCountProbesThatNeverArrivedOrArrivedUnsent() {
    Deliveries.Summary summary = Deliveries.summarise(new long[] {0, 10_000, NONE}, new long[] {NONE, 20_000, 5});

    assertThat(summary.delaysMicros()).containsExactly(10);
    assertThat(summary.sent()).isEqualTo(2);
    assertThat(summary.missing()).isEqualTo(1);
    assertThat(summary.unsent()).isEqualTo(1);
    assertThat(summary.complete()).isFalse();
  }

  @Test
  void shouldNotBeCompleteWithoutProbes() {
    assertThat(Deliveries.summarise(new long[0], new long[0]).complete()).isFalse();
  }

  @Test
  void shouldTakeEachProbeOnceAndRefuseUnknownSequenceNumbers() {
    Deliveries deliveries = new Deliveries(2);
    deliveries.sent(0, 100_000);
    deliveries.sent(1, 200_000);

    assertThat(deliveries.received(0, 300_000)).isTrue();
    assertThat(deliveries.received(0, 400_000)).as("a duplicate").isFalse();
    assertThat(deliveries.received(2, 400_000)).as("out of range").isFalse();
    assertThat(deliveries.received(-1, 400_000)).as("negative").isFalse();
    assertThat(deliveries.receivedCount()).isEqualTo(1);
    assertThat(deliveries.summary().missing()).isEqualTo(1);

    assertThat(deliveries.received(1, 250_000)).isTrue();
    assertThat(deliveries.summary().complete()).isTrue();
    assertThat(deliveries.summary().delaysMicros()).containsExactly(200, 50);
  }
}
