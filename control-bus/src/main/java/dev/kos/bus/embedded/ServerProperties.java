package dev.kos.bus.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders the {@code server.properties} of a single-node KRaft broker (broker and controller). */
public final class ServerProperties {

  private static final String HOST = "127.0.0.1";

  private ServerProperties() {}

  /** The settings, in file order; {@code ports} must be fully chosen. */
  public static Map<String, String> settings(int nodeId, BrokerPorts ports, Path kafkaLogDir) {
    if (!ports.fullyChosen()) {
      throw new IllegalArgumentException("ports not chosen yet: " + ports);
    }
    String broker = HOST + ":" + ports.broker();
    String controller = HOST + ":" + ports.controller();
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", Integer.toString(nodeId));
    settings.put("controller.quorum.voters", nodeId + "@" + controller);
    settings.put("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
    settings.put("advertised.listeners", "PLAINTEXT://" + broker);
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("log.dirs", kafkaLogDir.toAbsolutePath().toString());
    // Internal topics default to replication 3; with one broker they could never be created,
    // and consumer groups, transactions (exactly-once) and share groups would hang.
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    // Tests and `kos up` start a consumer right away; the default 3 s wait only delays them.
    settings.put("group.initial.rebalance.delay.ms", "0");
    // kos creates its topics from the catalogue; a typo must fail, not create a topic.
    settings.put("auto.create.topics.enable", "false");
    settings.put("num.partitions", "1");
    settings.put("default.replication.factor", "1");
    return settings;
  }

  /** The settings as the text of a properties file. */
  public static String render(int nodeId, BrokerPorts ports, Path kafkaLogDir) {
    return settings(nodeId, ports, kafkaLogDir).entrySet().stream()
        .map(e -> e.getKey() + "=" + escape(e.getValue()))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /** A backslash starts an escape in a properties file (Windows paths). */
  private static String escape(String value) {
    return value.replace("\\", "\\\\");
  }
}
