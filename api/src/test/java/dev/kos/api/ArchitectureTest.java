package dev.kos.api;

import static org.assertj.core.api.Assertions.fail;

import dev.kos.api.http.ApiServer;
import dev.kos.bus.testing.architecture.ArchitectureRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules the build keeps over api's main classes (the rules and their reasons: {@link ArchitectureRules}). */
class ArchitectureTest {

  @Test
  void keepsTheArchitectureRules() {
    List<String> failures = ArchitectureRules.check(ApiServer.class);
    if (!failures.isEmpty()) {
      fail(String.join("\n\n", failures));
    }
  }
}
