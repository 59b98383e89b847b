package dev.kos.frameworks.kafka.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.testing.PureCore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The kafka core stays pure: the shell talks to the bus and to the clusters' Admin API (STYLE.md, example 1). */
class CoreImportsTest {

  @Test
  void shouldNotMentionKafkaAvroOrBusSchemas() {
    assertThat(PureCore.busReferencesIn(Path.of("src/main/java/dev/kos/frameworks/kafka/core"))).isEmpty();
  }
}
