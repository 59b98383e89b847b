package dev.kos.cli.common;

import dev.kos.agent.config.DurationFlag;
import java.time.Duration;
import picocli.CommandLine;

/** Lets picocli options be durations written as people write them: {@code 50ms}, {@code 20s}, {@code 5m}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return DurationFlag.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
