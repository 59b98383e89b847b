package dev.kos.bus.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SummedGaugesTest {

  private static final Tags LOOP = Tags.of("group", "apps", "client", "framework-apps-commands");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SummedGauges gauges = new SummedGauges(registry);

  @Test
  void shouldShowTheSumOfEverySourceUnderOneNameAndTags() {
    AtomicLong older = new AtomicLong(3);
    AtomicLong newer = new AtomicLong(4);
    gauges.add("kos_consumer_lag", "lag", LOOP, older::get);
    gauges.add("kos_consumer_lag", "lag", LOOP, newer::get);

    assertThat(value()).isEqualTo(7.0);
    newer.set(10);
    assertThat(value()).isEqualTo(13.0);
  }

  @Test
  void shouldKeepTheGaugeWhileAnySourceIsLeftAndRemoveItWithTheLast() {
    SummedGauges.Contribution older = gauges.add("kos_consumer_lag", "lag", LOOP, () -> 3);
    SummedGauges.Contribution newer = gauges.add("kos_consumer_lag", "lag", LOOP, () -> 4);

    older.close();
    assertThat(value()).as("the newer source still reports").isEqualTo(4.0);
    newer.close();
    assertThat(registry.find("kos_consumer_lag").gauge()).isNull();

    gauges.add("kos_consumer_lag", "lag", LOOP, () -> 5);
    assertThat(value()).as("a source after the gauge was removed registers it again").isEqualTo(5.0);
  }

  @Test
  void shouldKeepSourcesWithOtherTagsApart() {
    gauges.add("kos_consumer_lag", "lag", LOOP, () -> 3);
    gauges.add("kos_consumer_lag", "lag", Tags.of("group", "jobs", "client", "framework-jobs-commands"), () -> 9);

    assertThat(value()).isEqualTo(3.0);
    assertThat(registry.find("kos_consumer_lag").tag("group", "jobs").gauge().value()).isEqualTo(9.0);
  }

  private double value() {
    return registry.find("kos_consumer_lag").tags(LOOP).gauge().value();
  }
}
