package dev.kos.bus.framework;

import dev.kos.bus.metrics.ProcessMetrics;
import io.micrometer.core.instrument.Counter;

/**
 * A framework's side of two-level scheduling in the process's metrics, tagged with its id: the offers it got, its
 * answers to them, the tasks it launched and the statuses it heard. The allocator counts the same traffic from its
 * side ({@code kos_offers_total}, ...); the two differ by what is in flight or lost between them.
 */
final class FrameworkMeters {

  private final String frameworkId;
  private final Counter offers;
  private final Counter rescinded;
  private final Counter accepts;
  private final Counter declines;
  private final Counter launches;

  FrameworkMeters(String frameworkId) {
    this.frameworkId = frameworkId;
    this.offers = counter("kos_framework_offers", "Offers the framework received");
    this.rescinded = counter("kos_framework_offers_rescinded", "Offers the allocator took back from the framework");
    this.accepts = counter("kos_framework_accepts", "Accepts the framework sent (each names offers on one agent)");
    this.declines = counter("kos_framework_declines", "Offers the framework declined");
    this.launches = counter("kos_framework_launches", "Tasks the framework asked to launch in its accepts");
  }

  private Counter counter(String name, String description) {
    return ProcessMetrics.counter(name, description, "framework", frameworkId);
  }

  void offered() {
    offers.increment();
  }

  void rescinded() {
    rescinded.increment();
  }

  void accepted(int tasksLaunched) {
    accepts.increment();
    launches.increment(tasksLaunched);
  }

  void declined() {
    declines.increment();
  }

  void status(String state) {
    ProcessMetrics.counter("kos_framework_status_updates", "Task statuses the framework heard, by state",
        "framework", frameworkId, "state", state).increment();
  }
}
