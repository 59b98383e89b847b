package dev.kos.frameworks.kafka.core;

import java.util.Map;

/** The four commands of the kafka framework, as the core sees them. */
public sealed interface KafkaCommand {

  String cluster();

  record Create(String cluster, int brokers, Resources perBroker, Map<String, String> config)
      implements KafkaCommand {
  }

  record AddBrokers(String cluster, int count) implements KafkaCommand {
  }

  record RemoveBroker(String cluster, int nodeId) implements KafkaCommand {
  }

  /** Overrides to set; an empty value removes the override. */
  record Configure(String cluster, Map<String, String> config) implements KafkaCommand {
  }
}
