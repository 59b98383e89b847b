package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.bus.catalog.Topics;
import dev.kos.bus.testing.BootstrapServers;
import dev.kos.bus.testing.KafkaBrokerExtension;
import dev.kos.bus.testing.TestBus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two allocator instances share the shards; closing one (an operator's SIGTERM, a scale-in, a rolling restart) hands
 * its shards to the other at once, not after the consumer session timeout (45 s by default), during which nobody
 * would offer, launch or watch the closed instance's agents.
 */
@ExtendWith(KafkaBrokerExtension.class)
class AllocatorHandoverIT {

  private static final Duration SESSION = Duration.ofSeconds(30);

  @TempDir
  Path stateDir;

  @Test
  @Timeout(180)
  void aClosedInstanceHandsItsShardsOverWithinLessThanItsSessionTimeout(@BootstrapServers String bootstrap)
      throws Exception {
    String applicationId = "allocator-" + UUID.randomUUID();
    try (TestBus bus = TestBus.start(bootstrap, 2)) {
      AllocatorService first = start(bus, applicationId, "first");
      try (AllocatorService second = start(bus, applicationId, "second")) {
        Map<String, Set<Integer>> shared = awaitShards(bus, applicationId,
            s -> s.size() == 2 && s.values().stream().noneMatch(Set::isEmpty), Duration.ofSeconds(60));
        assertThat(shared).as("both instances own a shard before one is closed").hasSize(2)
            .allSatisfy((instance, shards) -> assertThat(shards).isNotEmpty());

        long closing = System.nanoTime();
        first.close();
        Map<String, Set<Integer>> after = awaitShards(bus, applicationId,
            s -> s.equals(Map.of("second", Set.of(0, 1))), SESSION.dividedBy(2));
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
        System.out.println("handover: the second instance owned every shard " + tookMs + " ms after close() began");
        assertThat(after).as("the shards %d ms after the first instance closed (session timeout %s)", tookMs, SESSION)
            .isEqualTo(Map.of("second", Set.of(0, 1)));
      }
    }
  }

  private AllocatorService start(TestBus bus, String applicationId, String name) throws InterruptedException {
    return AllocatorService.start(bus.bus(), AllocatorSettings.defaults(), applicationId, stateDir.resolve(name),
        Map.of(StreamsConfig.consumerPrefix(CommonClientConfigs.SESSION_TIMEOUT_MS_CONFIG), (int) SESSION.toMillis(),
            StreamsConfig.CLIENT_ID_CONFIG, name), Duration.ofSeconds(60));
  }

  /** The kos.agents partitions each instance (by client.id) owns, awaited until {@code wanted} or {@code max}. */
  private static Map<String, Set<Integer>> awaitShards(TestBus bus, String applicationId,
      java.util.function.Predicate<Map<String, Set<Integer>>> wanted, Duration max) throws Exception {
    long deadline = System.nanoTime() + max.toNanos();
    try (Admin admin = Admin.create(bus.bus().settings().clientProperties())) {
      while (true) {
        Map<String, Set<Integer>> owned = new TreeMap<>();
        var group = admin.describeConsumerGroups(List.of(applicationId)).describedGroups().get(applicationId)
            .get(30, TimeUnit.SECONDS);
        for (var member : group.members()) {
          Set<Integer> shards = owned.computeIfAbsent(member.clientId().replaceFirst("-StreamThread-.*$", ""),
              m -> new TreeSet<>());
          member.assignment().topicPartitions().stream().filter(p -> p.topic().equals(bus.bus().topic(Topics.AGENTS)))
              .forEach(p -> shards.add(p.partition()));
        }
        if (wanted.test(owned) || System.nanoTime() > deadline) {
          return owned;
        }
        Thread.sleep(200);
      }
    }
  }
}
