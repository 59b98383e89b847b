package dev.kos.bench.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * How much went through each topic of the broker: offsets (records, and in transactional topics
 * one commit marker per partition per transaction) from the partitions' end offsets, and bytes
 * from the size of their logs on disk (record batches with their headers, as the broker stores
 * them). Two snapshots, before and after a run, give its traffic.
 */
final class TopicTraffic {

  /** Records and bytes of one topic. */
  record Traffic(long records, long bytes) {
    Traffic minus(Traffic before) {
      return new Traffic(records - before.records, bytes - before.bytes);
    }
  }

  private TopicTraffic() {
  }

  /** Every topic of the broker (internal ones included) and what it holds now. */
  static Map<String, Traffic> snapshot(Admin admin) throws ExecutionException, InterruptedException {
    Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
    Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames().get();
    Map<TopicPartition, OffsetSpec> latest = descriptions.values().stream()
        .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
        .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
    Map<String, Long> records = new HashMap<>();
    admin.listOffsets(latest).all().get()
        .forEach((tp, info) -> records.merge(tp.topic(), info.offset(), Long::sum));
    Map<String, Long> bytes = new HashMap<>();
    List<Integer> brokers = admin.describeCluster().nodes().get().stream().map(node -> node.id()).toList();
    for (Map<String, LogDirDescription> dirs : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
      dirs.values().forEach(dir -> dir.replicaInfos()
          .forEach((tp, replica) -> bytes.merge(tp.topic(), replica.size(), Long::sum)));
    }
    Map<String, Traffic> traffic = new TreeMap<>();
    for (String topic : topics) {
      traffic.put(topic, new Traffic(records.getOrDefault(topic, 0L), bytes.getOrDefault(topic, 0L)));
    }
    return traffic;
  }

  /** What each topic gained between two snapshots; topics created in between count from zero. */
  static Map<String, Traffic> between(Map<String, Traffic> before, Map<String, Traffic> after) {
    Map<String, Traffic> delta = new TreeMap<>();
    after.forEach((topic, now) -> delta.put(topic, now.minus(before.getOrDefault(topic, new Traffic(0, 0)))));
    return delta;
  }
}
