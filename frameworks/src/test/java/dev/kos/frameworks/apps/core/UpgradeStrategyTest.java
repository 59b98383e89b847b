package dev.kos.frameworks.apps.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bounds of a rolling upgrade, including the room made when the strategy leaves none. */
class UpgradeStrategyTest {

  @ParameterizedTest(name = "{0} instances, {1}/{2}, resident={3}: at least {4} healthy, at most {5} running")
  @CsvSource({
      "4, 1.0, 1.0, false, 4, 8",
      "4, 0.5, 0.0, false, 2, 4",
      "3, 0.5, 0.5, false, 2, 4",
      "3, 1.0, 0.34, false, 3, 4",
      "3, 1.0, 0.0, false, 3, 4",
      "1, 0.5, 0.5, false, 1, 2",
      "3, 1.0, 0.0, true, 2, 3",
      "0, 1.0, 1.0, false, 0, 0",
      "5, 0.0, 0.0, false, 0, 5"})
  void shouldBoundTheUpgrade(int instances, double minimumHealthCapacity, double maximumOverCapacity,
      boolean resident, int minHealthy, int maxRunning) {
    UpgradeStrategy.Bounds bounds = new UpgradeStrategy(minimumHealthCapacity, maximumOverCapacity)
        .bounds(instances, resident);

    assertThat(bounds).isEqualTo(new UpgradeStrategy.Bounds(minHealthy, maxRunning));
  }
}
