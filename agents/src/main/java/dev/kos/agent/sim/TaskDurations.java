package dev.kos.agent.sim;

import dev.kos.agent.config.DurationFlag;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long simulated tasks run: {@code exp:30s} (exponential, mean 30 s, as arrivals of a
 * memoryless process) or {@code fixed:30s} (every task exactly 30 s).
 */
public record TaskDurations(Distribution distribution, Duration mean) {

  public enum Distribution {
    EXP, FIXED
  }

  public TaskDurations {
    if (distribution == null || mean == null || mean.isNegative()) {
      throw new IllegalArgumentException("task durations need a distribution and a mean >= 0");
    }
  }

  public static TaskDurations parse(String flag) {
    int colon = flag == null ? -1 : flag.indexOf(':');
    String kind = colon < 0 ? "" : flag.substring(0, colon).trim();
    Distribution distribution = switch (kind) {
      case "exp" -> Distribution.EXP;
      case "fixed" -> Distribution.FIXED;
      default -> throw new IllegalArgumentException("invalid --task-duration '" + flag
          + "': expected exp:MEAN or fixed:DURATION, e.g. exp:30s");
    };
    try {
      return new TaskDurations(distribution, DurationFlag.parse(flag.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid --task-duration '" + flag + "': " + e.getMessage(), e);
    }
  }

  public Duration sample(RandomGenerator random) {
    if (distribution == Distribution.FIXED) {
      return mean;
    }
    return Duration.ofNanos((long) (-Math.log(1 - random.nextDouble()) * mean.toNanos()));
  }
}
