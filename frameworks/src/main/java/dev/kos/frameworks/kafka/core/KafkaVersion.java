package dev.kos.frameworks.kafka.core;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A Kafka release such as {@code 4.2.2}, ordered by its numbers: kos upgrades brokers to a later release only.
 */
public record KafkaVersion(String text, List<Integer> numbers) implements Comparable<KafkaVersion> {

  private static final Pattern FORM = Pattern.compile("\\d{1,4}(\\.\\d{1,4}){1,3}");

  public KafkaVersion {
    numbers = List.copyOf(numbers);
  }

  public static KafkaVersion parse(String text) {
    if (!valid(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a Kafka release: use numbers such as 4.2.2");
    }
    return new KafkaVersion(text, Arrays.stream(text.split("\\.")).map(Integer::valueOf).toList());
  }

  public static boolean valid(String text) {
    return text != null && FORM.matcher(text).matches();
  }

  /** Number by number; a release with more numbers is later than its prefix (4.2.0 after 4.2). */
  @Override
  public int compareTo(KafkaVersion other) {
    for (int i = 0; i < Math.min(numbers.size(), other.numbers.size()); i++) {
      int order = Integer.compare(numbers.get(i), other.numbers.get(i));
      if (order != 0) {
        return order;
      }
    }
    return Integer.compare(numbers.size(), other.numbers.size());
  }

  @Override
  public String toString() {
    return text;
  }
}
