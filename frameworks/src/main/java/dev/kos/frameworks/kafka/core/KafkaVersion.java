package dev.kos.frameworks.kafka.core;

import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A Kafka release such as {@code 4.2.2}, ordered by its numbers: kos upgrades brokers to a later release only.
 */
public record KafkaVersion(String text, int[] numbers) implements Comparable<KafkaVersion> {

  private static final Pattern FORM = Pattern.compile("\\d{1,4}(\\.\\d{1,4}){1,3}");

  public static KafkaVersion parse(String text) {
    if (text == null || !FORM.matcher(text).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a Kafka release: use numbers such as 4.2.2");
    }
    return new KafkaVersion(text, Arrays.stream(text.split("\\.")).mapToInt(Integer::parseInt).toArray());
  }

  public static boolean valid(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  @Override
  public int compareTo(KafkaVersion other) {
    return Arrays.compare(numbers, other.numbers);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KafkaVersion version && Arrays.equals(numbers, version.numbers);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(numbers);
  }

  @Override
  public String toString() {
    return text;
  }
}
