package dev.kos.bus.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * Gauges that several sources in one process report under the same name and tags, shown as the sum of the live
 * sources. Micrometer keeps one meter per name and tags: a second registration returns the first one's gauge, bound
 * to the first source, and removing it when the first source ends takes the meter away from the second too. Two
 * consumer loops of one group and client id in one process (an instance taking over from the one it replaces, in a
 * test or a restarting process) would otherwise lose their lag from {@code /metrics} when either ended.
 */
public final class SummedGauges {

  private final MeterRegistry registry;
  private final Map<MeterKey, Sources> byMeter = new ConcurrentHashMap<>();

  public SummedGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Adds {@code source} to the gauge {@code name} with {@code tags}, registering the gauge if it is the first. Closing
   * the returned handle takes the source away again, and the gauge too once no source is left.
   */
  public Contribution add(String name, String description, Tags tags, DoubleSupplier source) {
    MeterKey key = new MeterKey(name, tags);
    byMeter.compute(key, (k, sources) -> {
      Sources live = sources == null ? new Sources() : sources;
      if (live.suppliers.isEmpty()) {
        live.gauge = Gauge.builder(name, live, Sources::sum).description(description).tags(tags)
            .strongReference(true).register(registry);
      }
      live.suppliers.add(source);
      return live;
    });
    return () -> byMeter.computeIfPresent(key, (k, sources) -> {
      sources.suppliers.remove(source);
      if (!sources.suppliers.isEmpty()) {
        return sources;
      }
      registry.remove(sources.gauge);
      return null;
    });
  }

  /** One source's part in a summed gauge; closing it takes the source away. */
  public interface Contribution extends AutoCloseable {
    @Override
    void close();
  }

  private record MeterKey(String name, Tags tags) {
  }

  private static final class Sources {
    final List<DoubleSupplier> suppliers = new CopyOnWriteArrayList<>();
    Gauge gauge;

    double sum() {
      double total = 0;
      for (DoubleSupplier supplier : suppliers) {
        total += supplier.getAsDouble();
      }
      return total;
    }
  }
}
