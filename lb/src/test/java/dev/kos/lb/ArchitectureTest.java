package dev.kos.lb;

import static org.assertj.core.api.Assertions.fail;

import dev.kos.bus.testing.architecture.ArchitectureRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules the build keeps over lb's main classes (the rules and their reasons: {@link ArchitectureRules}). */
class ArchitectureTest {

  @Test
  void keepsTheArchitectureRules() {
    List<String> failures = ArchitectureRules.check(KosLb.class);
    if (!failures.isEmpty()) {
      fail(String.join("\n\n", failures));
    }
  }
}
