package dev.kos.bench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One measured figure of a benchmark.
 *
 * @param name  what was measured, e.g. "tasks/s, command -> RUNNING"
 * @param value the figure: the median of {@code runs} when there were several
 * @param unit  its unit, e.g. "tasks/s", "ms", "records/task"
 * @param goal  the goal it is held against, or null when it has none, e.g. ">= 10000"
 * @param runs  the value of each run, in run order (one element for a single run)
 */
public record Figure(String name, double value, String unit, String goal, List<Double> runs) {

  public Figure {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    runs = List.copyOf(runs);
  }

  public static Figure of(String name, double value, String unit) {
    return new Figure(name, value, unit, null, List.of(value));
  }

  public Figure withGoal(String newGoal) {
    return new Figure(name, value, unit, newGoal, runs);
  }

  /**
   * Whether the value meets the goal, for goals of the form {@code ">= N"} or {@code "<= N"}; empty when the figure has
   * no goal or one of another form.
   */
  public Optional<Boolean> goalMet() {
    if (goal == null) {
      return Optional.empty();
    }
    String trimmed = goal.trim();
    try {
      if (trimmed.startsWith(">=")) {
        return Optional.of(value >= Double.parseDouble(trimmed.substring(2).replace(",", "").trim()));
      }
      if (trimmed.startsWith("<=")) {
        return Optional.of(value <= Double.parseDouble(trimmed.substring(2).replace(",", "").trim()));
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The medians of several runs' figures, matched by name in the order of the first run; a figure
   * missing from some run is summarised over the runs that have it.
   */
  public static List<Figure> medians(List<List<Figure>> runs) {
    if (runs.isEmpty()) {
      return List.of();
    }
    List<Figure> medians = new ArrayList<>();
    for (Figure first : runs.get(0)) {
      List<Double> values = runs.stream().flatMap(List::stream).filter(f -> f.name().equals(first.name()))
          .map(Figure::value).toList();
      medians.add(new Figure(first.name(), median(values), first.unit(), first.goal(), values));
    }
    return medians;
  }

  /** The middle value; the mean of the two middle ones for an even count. */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
