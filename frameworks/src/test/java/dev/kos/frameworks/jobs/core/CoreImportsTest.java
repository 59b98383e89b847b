package dev.kos.frameworks.jobs.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.testing.PureCore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The jobs core stays pure: it decides, the edge maps Avro and the shell talks to Kafka (STYLE.md, example 1). */
class CoreImportsTest {

  @Test
  void shouldNotMentionKafkaAvroOrBusSchemas() {
    assertThat(PureCore.busReferencesIn(Path.of("src/main/java/dev/kos/frameworks/jobs/core"))).isEmpty();
  }
}
