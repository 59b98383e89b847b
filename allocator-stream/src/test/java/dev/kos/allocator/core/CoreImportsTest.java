package dev.kos.allocator.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.testing.PureCore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The core stays pure: it decides, the shell talks to Kafka and maps Avro records (STYLE.md, example 1). */
class CoreImportsTest {

  @Test
  void shouldNotMentionKafkaAvroOrBusSchemas() {
    assertThat(PureCore.busReferencesIn(Path.of("src/main/java/dev/kos/allocator/core"))).isEmpty();
  }

  @Test
  void shouldKeepTheAutoscalerCorePureToo() {
    assertThat(PureCore.busReferencesIn(Path.of("src/main/java/dev/kos/allocator/scaling"))).isEmpty();
  }
}
