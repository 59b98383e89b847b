package dev.kos.bus.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Renders the {@code server.properties} of a single-node KRaft broker (broker and controller). */
public final class ServerProperties {

  private static final String HOST = "127.0.0.1";

  /**
   * Settings that overrides may not replace: kos derives them from the node id, the recorded
   * ports and the data directory, and relies on them when it reuses a directory and when it
   * tells clients where the broker is.
   */
  public static final Set<String> DERIVED_BY_KOS = Set.of(
      "process.roles", "node.id", "controller.quorum.voters", "listeners", "advertised.listeners",
      "controller.listener.names", "log.dirs");

  private ServerProperties() {}

  /** The generated settings, in file order; {@code ports} must be fully chosen. */
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

  /**
   * The settings of node {@code nodeId} of a cluster whose KRaft quorum is {@code voters}
   * ({@code id@host:port,...}, every node a voter): internal topics replicated like kos's own
   * (three copies, two in sync, or as many as there are nodes), then {@code overrides}.
   */
  public static Map<String, String> clusterSettings(int nodeId, BrokerPorts ports, Path kafkaLogDir, String voters,
      int nodes, Map<String, String> overrides) {
    Map<String, String> settings = settings(nodeId, ports, kafkaLogDir);
    settings.put("controller.quorum.voters", voters);
    String replication = Integer.toString(Math.min(3, nodes));
    String minIsr = Integer.toString(nodes >= 3 ? 2 : 1);
    settings.put("offsets.topic.replication.factor", replication);
    settings.put("transaction.state.log.replication.factor", replication);
    settings.put("transaction.state.log.min.isr", minIsr);
    settings.put("share.coordinator.state.topic.replication.factor", replication);
    settings.put("share.coordinator.state.topic.min.isr", minIsr);
    settings.put("default.replication.factor", replication);
    settings.putAll(new TreeMap<>(overrides));
    return settings;
  }

  /**
   * The generated settings with {@code overrides} merged over them: an override replaces a
   * generated value in place, and new keys follow in key order so that the file is the same at
   * every start.
   */
  public static Map<String, String> settings(
      int nodeId, BrokerPorts ports, Path kafkaLogDir, Map<String, String> overrides) {
    Map<String, String> settings = settings(nodeId, ports, kafkaLogDir);
    settings.putAll(new TreeMap<>(overrides));
    return settings;
  }

  /** The settings, overrides merged, as the text of a properties file. */
  public static String render(int nodeId, BrokerPorts ports, Path kafkaLogDir, Map<String, String> overrides) {
    return render(settings(nodeId, ports, kafkaLogDir, overrides));
  }

  /** Settings as the text of a properties file. */
  public static String render(Map<String, String> settings) {
    return settings.entrySet().stream()
        .map(e -> e.getKey() + "=" + escape(e.getValue()))
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /**
   * A backslash starts an escape in a properties file (Windows paths), and a line break in an
   * override's value would otherwise start a setting of its own.
   */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }
}
