package dev.kos.bench.placement;

import dev.kos.bench.results.Figure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The figures both end-to-end benchmarks derive from topic traffic and CPU time. */
final class RunFigures {

  private RunFigures() {
  }

  /**
   * Records and bytes per {@code unit} (task, instance) on the run's kos topics together, on every
   * topic of the broker together (with Streams changelogs, transaction state and consumer offsets),
   * and on each topic that saw traffic.
   */
  static List<Figure> traffic(Map<String, TopicTraffic.Traffic> delta, String kosPrefix, long units, String unit) {
    List<Figure> figures = new ArrayList<>();
    TopicTraffic.Traffic kos = sum(delta, kosPrefix);
    TopicTraffic.Traffic all = sum(delta, "");
    figures.add(Figure.of("control-bus records per " + unit + " (kos topics)", per(kos.records(), units),
        "records/" + unit));
    figures.add(Figure.of("control-bus bytes per " + unit + " (kos topics, on disk)", per(kos.bytes(), units),
        "bytes/" + unit));
    figures.add(Figure.of("records per " + unit + ", every topic (changelogs, transactions, offsets too)",
        per(all.records(), units), "records/" + unit));
    figures.add(Figure.of("bytes per " + unit + ", every topic", per(all.bytes(), units), "bytes/" + unit));
    delta.forEach((topic, traffic) -> {
      if (traffic.records() > 0) {
        String name = topic.startsWith(kosPrefix) ? "kos." + topic.substring(kosPrefix.length()) : topic;
        figures.add(Figure.of("  " + name + ": records per " + unit, per(traffic.records(), units),
            "records/" + unit));
        figures.add(Figure.of("  " + name + ": bytes per " + unit, per(traffic.bytes(), units), "bytes/" + unit));
      }
    });
    return figures;
  }

  /** CPU seconds of each group over the window, and the share of one core that is. */
  static List<Figure> cpu(Map<String, Double> seconds, double wallSeconds) {
    List<Figure> figures = new ArrayList<>();
    seconds.forEach((group, cpu) -> {
      figures.add(Figure.of("CPU: " + group, cpu, "s"));
      figures.add(Figure.of("CPU: " + group + ", share of one core", 100 * cpu / wallSeconds, "%"));
    });
    return figures;
  }

  private static TopicTraffic.Traffic sum(Map<String, TopicTraffic.Traffic> delta, String prefix) {
    long records = 0;
    long bytes = 0;
    for (Map.Entry<String, TopicTraffic.Traffic> entry : delta.entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        records += entry.getValue().records();
        bytes += entry.getValue().bytes();
      }
    }
    return new TopicTraffic.Traffic(records, bytes);
  }

  private static double per(long amount, long units) {
    return units == 0 ? 0 : (double) amount / units;
  }
}
