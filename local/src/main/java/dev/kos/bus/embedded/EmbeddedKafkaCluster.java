package dev.kos.bus.embedded;

import dev.kos.bus.files.Directories;
import dev.kos.local.forked.ChildStop;
import dev.kos.local.forked.ForkedJvm;
import dev.kos.local.forked.LogTail;
import dev.kos.local.forked.StopHook;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several real Kafka nodes in child JVMs, each broker and controller of one KRaft quorum, on
 * temporary directories: for what one broker cannot show (replication, min.insync.replicas, a
 * leader or the transaction coordinator lost). Node ids are 1..n; internal topics are replicated
 * like kos's own ({@link ServerProperties#clusterSettings}). A test may {@link #kill} a node and
 * {@link #restart} it on its own data directory and ports. {@link #close} stops every node and
 * deletes the directories. Unlike {@link EmbeddedKafka} it never reuses a data directory of an
 * earlier cluster.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);

  /** One node: where its files are, its ports, and its process once started. */
  private record Node(int id, BrokerLayout layout, BrokerPorts ports, Process process) {
  }

  /** Replaced in place when a node restarts: its layout and ports stay, its process is new. */
  private final List<Node> nodes;
  private final EmbeddedKafkaSettings settings;
  private final StopHook stopHook;

  private EmbeddedKafkaCluster(List<Node> nodes, EmbeddedKafkaSettings settings) {
    this.nodes = java.util.Collections.synchronizedList(new ArrayList<>(nodes));
    this.settings = settings;
    this.stopHook = StopHook.register("embedded-kafka-cluster-shutdown", this::stop);
  }

  /**
   * Starts {@code size} nodes and returns once each answers. Of {@code settings}, the heap, start
   * timeout, extra JVM options, server overrides and client config apply; data directory and ports
   * do not (each node gets a temporary directory and free ports).
   */
  public static EmbeddedKafkaCluster start(int size, EmbeddedKafkaSettings settings) {
    if (size < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, was " + size);
    }
    List<Node> prepared = new ArrayList<>();
    try {
      List<BrokerPorts> ports = distinctFreePorts(size);
      String voters = IntStream.range(0, size)
          .mapToObj(i -> (i + 1) + "@" + HOST + ":" + ports.get(i).controller()).collect(Collectors.joining(","));
      String clusterId = Uuid.randomUuid().toString();
      for (int i = 0; i < size; i++) {
        BrokerLayout layout = new BrokerLayout(Files.createTempDirectory("kos-kafka-node" + (i + 1) + "-"));
        prepared.add(new Node(i + 1, layout, ports.get(i), null));
        Files.createDirectories(layout.logsDir());
        AtomicFiles.write(layout.logbackConfig(), BrokerLogbackConfig.render(layout.brokerLog()));
        AtomicFiles.write(layout.serverProperties(), ServerProperties.render(ServerProperties.clusterSettings(
            i + 1, ports.get(i), layout.kafkaLogDir(), voters, size, settings.serverOverrides())));
      }
      format(prepared, clusterId);
      List<Node> started = new ArrayList<>();
      for (Node node : prepared) {
        started.add(launch(node, settings));
      }
      prepared = started;
      EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(started, settings);
      cluster.nodes.forEach(node -> awaitReady(node, settings));
      log.info("Embedded Kafka cluster {} of {} nodes answers on {}", clusterId, size, cluster.bootstrapServers());
      return cluster;
    } catch (IOException e) {
      destroy(prepared);
      throw new EmbeddedKafkaException("Cannot start an embedded Kafka cluster: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      destroy(prepared);
      throw e;
    }
  }

  /** Every node's client address, for {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return nodes.stream().map(n -> HOST + ":" + n.ports().broker()).collect(Collectors.joining(","));
  }

  public int size() {
    return nodes.size();
  }

  /** The JVM process id of node {@code nodeId} (1..n), for tests that freeze or kill it. */
  public long pid(int nodeId) {
    return node(nodeId).process().pid();
  }

  /** Kills node {@code nodeId} with SIGKILL (a crash: no controlled shutdown) and waits until it is gone. */
  public void kill(int nodeId) {
    Process process = node(nodeId).process();
    process.destroyForcibly();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new EmbeddedKafkaException("node " + nodeId + " (pid " + process.pid() + ") survived SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("interrupted while killing node " + nodeId, e);
    }
  }

  /**
   * Starts node {@code nodeId} again on its data directory and ports, as a supervisor would after a crash, and
   * returns once it answers. The node must not be running. While it was down another socket may have taken one of
   * its ports: the other nodes keep reconnecting to its controller port, and a connection to a port of the ephemeral
   * range with no listener can connect to itself (TCP simultaneous open), holding the port until it times out. So
   * the restart waits for its ports to be free, and starts again if the node still fails to bind one.
   */
  public void restart(int nodeId) {
    Node node = node(nodeId);
    if (node.process().isAlive()) {
      throw new IllegalStateException("node " + nodeId + " (pid " + node.process().pid() + ") still runs");
    }
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    try {
      while (true) {
        while ((Ports.inUse(node.ports().broker()) || Ports.inUse(node.ports().controller()))
            && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        Node restarted = launch(node, settings);
        nodes.set(nodeId - 1, restarted);
        BrokerReadiness.Outcome outcome = readiness(restarted, settings);
        if (outcome == BrokerReadiness.Outcome.READY) {
          return;
        }
        boolean portTaken = outcome == BrokerReadiness.Outcome.PROCESS_EXITED
            && LogTail.lastLines(restarted.layout().brokerLog(), 40).contains("Address already in use");
        if (!portTaken || System.nanoTime() > deadline) {
          throw notReady(restarted, outcome);
        }
        log.warn("Node {} could not bind a port that another socket took while it was down; starting it again",
            nodeId);
      }
    } catch (IOException e) {
      throw new EmbeddedKafkaException("Cannot restart node " + nodeId + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted while restarting node " + nodeId, e);
    }
  }

  /** The INFO log of node {@code nodeId}. */
  public Path brokerLog(int nodeId) {
    return node(nodeId).layout().brokerLog();
  }

  @Override
  public void close() {
    stopHook.close();
  }

  private Node node(int nodeId) {
    if (nodeId < 1 || nodeId > nodes.size()) {
      throw new IllegalArgumentException("no node " + nodeId + " in a cluster of " + nodes.size());
    }
    return nodes.get(nodeId - 1);
  }

  private void stop() {
    log.info("Stopping the embedded Kafka cluster on {}", bootstrapServers());
    synchronized (nodes) {
      destroy(nodes);
    }
  }

  private static Node launch(Node node, EmbeddedKafkaSettings settings) throws IOException {
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + settings.maxHeap());
    options.add(BrokerLogbackConfig.jvmOption(node.layout().logbackConfig()));
    options.addAll(settings.extraJvmOptions());
    Process process = ForkedJvm.onThisClasspath(options, BrokerMain.class.getName(),
        List.of(node.layout().serverProperties().toString())).start(node.layout().consoleLog());
    return new Node(node.id(), node.layout(), node.ports(), process);
  }

  private static void awaitReady(Node node, EmbeddedKafkaSettings settings) {
    BrokerReadiness.Outcome outcome;
    try {
      outcome = readiness(node, settings);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedKafkaException("Interrupted while waiting for node " + node.id() + " of the embedded cluster", e);
    }
    if (outcome != BrokerReadiness.Outcome.READY) {
      throw notReady(node, outcome);
    }
  }

  private static BrokerReadiness.Outcome readiness(Node node, EmbeddedKafkaSettings settings)
      throws InterruptedException {
    return BrokerReadiness.await(new InetSocketAddress(HOST, node.ports().broker()), settings.clientConfig(),
        settings.startTimeout(), node.process()::isAlive, Clock.systemUTC());
  }

  private static EmbeddedKafkaException notReady(Node node, BrokerReadiness.Outcome outcome) {
    return new EmbeddedKafkaException(String.format("Node %d of the embedded cluster (pid %d) %s.%n%s%n%s",
        node.id(), node.process().pid(), outcome, LogTail.lastLines(node.layout().brokerLog(), 40),
        LogTail.lastLines(node.layout().consoleLog(), 40)));
  }

  /** Formats every node's storage at once: one forked JVM each, so in parallel. */
  private static void format(List<Node> nodes, String clusterId) {
    List<Thread> formatters = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (Node node : nodes) {
      Thread thread = new Thread(() -> {
        try {
          StorageFormatter.format(node.layout(), clusterId,
              List.of(BrokerLogbackConfig.jvmOption(node.layout().logbackConfig())), FORMAT_TIMEOUT);
        } catch (RuntimeException e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "format-node-" + node.id());
      thread.start();
      formatters.add(thread);
    }
    for (Thread thread : formatters) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddedKafkaException("Interrupted while formatting the embedded cluster", e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }

  /** Free ports for every node, no two alike: each probe is independent and could repeat one. */
  private static List<BrokerPorts> distinctFreePorts(int size) {
    Set<Integer> taken = new HashSet<>();
    List<BrokerPorts> ports = new ArrayList<>();
    while (ports.size() < size) {
      BrokerPorts candidate = Ports.chooseFree(BrokerPorts.ANY);
      if (!taken.contains(candidate.broker()) && !taken.contains(candidate.controller())) {
        taken.add(candidate.broker());
        taken.add(candidate.controller());
        ports.add(candidate);
      }
    }
    return ports;
  }

  private static void destroy(List<Node> nodes) {
    for (Node node : nodes) {
      if (node.process() != null) {
        node.process().destroy();
      }
    }
    for (Node node : nodes) {
      if (node.process() != null) {
        ChildStop.awaitOrKill(node.process(), STOP_GRACE);
      }
      Directories.deleteTreeQuietly(node.layout().root())
          .ifPresent(e -> log.warn("Could not delete {}", node.layout().root(), e));
    }
  }
}
