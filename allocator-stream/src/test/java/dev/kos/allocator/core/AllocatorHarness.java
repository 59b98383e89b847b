package dev.kos.allocator.core;

import dev.kos.model.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fixture for the allocator core in the manner of Nomad's scheduler Harness: build a cluster fluently, move
 * time by hand, run one step, and read the decisions back as short strings a table row can hold.
 */
final class AllocatorHarness {

  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  final Allocator allocator;
  Instant now = START;

  private AllocatorHarness(AllocatorConfig config) {
    this.allocator = new Allocator(config);
  }

  static AllocatorHarness create() {
    return create(AllocatorConfig.defaults());
  }

  static AllocatorHarness create(AllocatorConfig config) {
    return new AllocatorHarness(config);
  }

  static TaskRequest task(String taskId, double cpus, double mem) {
    return new TaskRequest(taskId, Resources.of(cpus, mem));
  }

  AllocatorHarness agent(String agentId, double cpus, double mem) {
    return agent(AgentSpec.of(agentId, Resources.of(cpus, mem)));
  }

  AllocatorHarness agent(AgentSpec spec) {
    allocator.agentReported(spec);
    return this;
  }

  AllocatorHarness agentReservedFor(String agentId, double cpus, double mem, String role, double reservedCpus,
                   double reservedMem) {
    return agent(AgentSpec.of(agentId, Resources.of(cpus, mem))
        .withStaticReservations(Map.of(role, Resources.of(reservedCpus, reservedMem))));
  }

  AllocatorHarness framework(String frameworkId, String role) {
    allocator.frameworkUpdated(FrameworkSpec.of(frameworkId, role));
    return this;
  }

  AllocatorHarness role(RoleConfig config) {
    allocator.roleConfigured(config);
    return this;
  }

  AllocatorHarness advance(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  AllocatorHarness advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }

  Decisions round() {
    return allocator.allocate(now);
  }

  /** The outstanding offer to a framework on an agent; fails the test if there is none. */
  Offer offer(String frameworkId, String agentId) {
    return allocator.outstandingOffers().stream()
        .filter(offer -> offer.frameworkId().equals(frameworkId) && offer.agentId().equals(agentId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no offer to " + frameworkId + " on " + agentId
            + "; outstanding: " + describe(allocator.outstandingOffers())));
  }

  Decisions accept(String frameworkId, String agentId, TaskRequest... tasks) {
    return allocator.accept(frameworkId, List.of(offer(frameworkId, agentId).offerId()), Arrays.asList(tasks));
  }

  Decisions decline(String frameworkId, String agentId, Duration refuse) {
    return allocator.decline(frameworkId, List.of(offer(frameworkId, agentId).offerId()), refuse, now);
  }

  /** Runs a round and has the framework launch one task using its whole offer on the agent. */
  AllocatorHarness fill(String frameworkId, String agentId, String taskId) {
    round();
    Resources offered = offer(frameworkId, agentId).resources();
    Decisions accepted = allocator.accept(frameworkId, List.of(offer(frameworkId, agentId).offerId()),
        List.of(new TaskRequest(taskId, offered)));
    if (accepted.launches().isEmpty()) {
      throw new AssertionError("fill was rejected: " + accepted.rejections());
    }
    return this;
  }

  /** Offers as {@code framework@agent cpus/mem}, with the part reserved for the role in brackets, in order made. */
  static String describe(List<Offer> offers) {
    return offers.stream().map(AllocatorHarness::describe).collect(Collectors.joining(", "));
  }

  static String describe(Offer offer) {
    String text = offer.frameworkId() + "@" + offer.agentId() + " " + amounts(offer.resources());
    return offer.reserved().isEmpty() ? text : text + " [reserved " + amounts(offer.reserved()) + "]";
  }

  private static String amounts(Resources resources) {
    return number(resources.cpus()) + "/" + number(resources.mem());
  }

  private static String number(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }
}
