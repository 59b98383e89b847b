package dev.kos.analytics.cassandra;

import dev.kos.analytics.cassandra.node.CassandraNodeMain;
import dev.kos.local.forked.ChildStop;
import dev.kos.local.forked.ForkedJvm;
import dev.kos.local.forked.LogTail;
import dev.kos.local.forked.StopHook;
import dev.kos.local.forked.TemporaryDirs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Cassandra 5.0 node in a child JVM on loopback, started from the {@code cassandra-all}
 * jars in the local Maven repository (never from this JVM's classpath: see {@link NodeClasspath}).
 * Used by integration tests, benchmarks and {@code kos up --analytics}. It is part of the local stack, so that no
 * production module carries it; the CQL query that tells it the node is up comes from the caller
 * ({@link CqlProbe}), so that the session code stays analytics' own.
 *
 * <p>{@link #start} writes the configuration, starts the node and returns once CQL answers.
 * {@link #close} stops it (SIGTERM, which lets Cassandra drain, then kill after a grace period); a
 * shutdown hook does the same if this JVM exits first, and {@link CassandraNodeMain} stops the node
 * when this JVM is killed outright.
 */
public final class EmbeddedCassandra implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedCassandra.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final int LOG_LINES_ON_FAILURE = 40;

  private final CassandraLayout layout;
  private final boolean temporaryDir;
  private final NodePorts ports;
  private final Process process;
  private final StopHook stopHook;
  /** Set when the node failed to start: its logs outlive even a temporary data dir. */
  private volatile boolean keepDataDir;
  private Duration startupTime = Duration.ZERO;

  private EmbeddedCassandra(CassandraLayout layout, boolean temporaryDir, NodePorts ports, Process process) {
    this.layout = layout;
    this.temporaryDir = temporaryDir;
    this.ports = ports;
    this.process = process;
    this.stopHook = StopHook.register("embedded-cassandra-shutdown-" + process.pid(), this::stop);
  }

  /**
   * Starts a node and waits until {@code cql} says it answers; throws {@link EmbeddedCassandraException} if not.
   */
  public static EmbeddedCassandra start(EmbeddedCassandraSettings settings, CqlProbe cql) {
    boolean temporaryDir = settings.dataDir().isEmpty();
    CassandraLayout layout = new CassandraLayout(settings.dataDir().orElseGet(() -> TemporaryDirs.create("kos-cassandra-")));
    long startNanos = System.nanoTime();
    EmbeddedCassandra node = null;
    try {
      refuseIfAnotherNodeRuns(layout);
      String classpath = NodeClasspath.resolve(NodeClasspath.localRepository());
      NodePorts ports = NodePorts.chooseFree(settings.cqlPort(), settings.storagePort());
      writeConfiguration(layout, ports);
      Process process = fork(layout, settings, classpath);
      node = new EmbeddedCassandra(layout, temporaryDir, ports, process);
      node.writePidFile();
      node.awaitCql(cql, settings.startTimeout());
      node.startupTime = Duration.ofNanos(System.nanoTime() - startNanos);
      log.info("Embedded Cassandra pid {} answers CQL on {} after {} ms (data and logs in {})",
          node.pid(), node.contactPoint(), node.startupTime.toMillis(), layout.root());
      return node;
    } catch (IOException e) {
      stopOrDelete(node, layout, temporaryDir);
      throw new EmbeddedCassandraException("Cannot start embedded Cassandra in " + layout.root() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      stopOrDelete(node, layout, temporaryDir);
      throw e;
    }
  }

  /** After a failed start: a forked node stops itself (keeping its logs if it failed); else just tidy up. */
  private static void stopOrDelete(EmbeddedCassandra node, CassandraLayout layout, boolean temporaryDir) {
    if (node != null) {
      node.close();
    } else {
      TemporaryDirs.deleteIfTemporary(layout.root(), temporaryDir);
    }
  }

  /** {@code 127.0.0.1:<cql port>}, as {@code --cassandra} and the cluster file write it. */
  public String contactPoint() {
    return HOST + ":" + ports.cql();
  }

  public InetSocketAddress cqlAddress() {
    return new InetSocketAddress(HOST, ports.cql());
  }

  public Path dataDir() {
    return layout.root();
  }

  /** Cassandra's INFO log. */
  public Path systemLog() {
    return layout.systemLog();
  }

  public long pid() {
    return process.pid();
  }

  /** From launching the JVM to CQL answering a query. */
  public Duration startupTime() {
    return startupTime;
  }

  /** Resident memory of the node in bytes, read from /proc; empty where there is no /proc. */
  public Optional<Long> residentBytes() {
    Path status = Path.of("/proc", Long.toString(pid()), "status");
    try {
      return Files.readAllLines(status).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
          .findFirst();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Leaves stopping this node at JVM exit to the caller. By default a shutdown hook of its own stops it, so a
   * JVM that exits without closing it leaves no process behind; but the JVM runs shutdown hooks all at once, so
   * an owner that stops a whole stack in order from its own hook (the node last, after everything that uses it)
   * must take this one away, or the node goes first and the rest wait out their timeouts against it.
   */
  public void stopOnlyWhenClosed() {
    stopHook.unregister();
  }

  /** Stops the node; safe to call more than once. */
  @Override
  public void close() {
    stopHook.close();
  }

  private void stop() {
    log.info("Stopping embedded Cassandra pid {} on {}", pid(), contactPoint());
    if (ChildStop.terminate(process, STOP_GRACE)) {
      log.warn("Cassandra pid {} did not stop within {} s of SIGTERM; killed it (log: {})",
          pid(), STOP_GRACE.toSeconds(), layout.systemLog());
    }
    try {
      Files.deleteIfExists(layout.pidFile());
    } catch (IOException e) {
      log.warn("Could not remove {}; the next start will find the pid dead and go ahead", layout.pidFile(), e);
    }
    if (!keepDataDir) {
      TemporaryDirs.deleteIfTemporary(layout.root(), temporaryDir);
    }
  }

  private static void refuseIfAnotherNodeRuns(CassandraLayout layout) throws IOException {
    if (!Files.isRegularFile(layout.pidFile())) {
      return;
    }
    String pid = Files.readString(layout.pidFile()).strip();
    boolean alive = pid.matches("\\d+")
        && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    if (alive) {
      throw new EmbeddedCassandraException("Another Cassandra node (pid " + pid + ") runs on " + layout.root()
          + "; stop it first or choose another data directory.");
    }
  }

  private static void writeConfiguration(CassandraLayout layout, NodePorts ports) throws IOException {
    Files.createDirectories(layout.storage());
    Files.createDirectories(layout.logs());
    Files.writeString(layout.yaml(), CassandraYaml.render(layout, ports), StandardCharsets.UTF_8);
    Files.writeString(layout.logbackConfig(), NodeLogbackConfig.render(layout.systemLog()), StandardCharsets.UTF_8);
  }

  private static Process fork(CassandraLayout layout, EmbeddedCassandraSettings settings, String classpath)
      throws IOException {
    // The node watches its stdin, which ForkedJvm keeps a pipe held by this JVM: its end of file says we are gone.
    return new ForkedJvm(NodeJvmOptions.of(layout, settings), classpath, CassandraNodeMain.class.getName(), List.of())
        .start(layout.consoleLog());
  }

  private void writePidFile() throws IOException {
    Files.writeString(layout.pidFile(), Long.toString(pid()), StandardCharsets.UTF_8);
  }

  private void awaitCql(CqlProbe cql, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "the CQL port never opened";
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          fail("exited with code " + process.exitValue());
        }
        if (portOpen()) {
          Optional<String> problem = cql.problem(cqlAddress());
          if (problem.isEmpty()) {
            return;
          }
          lastProblem = problem.get();
        }
        Thread.sleep(POLL.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedCassandraException("Interrupted while waiting for embedded Cassandra to start", e);
    }
    fail("did not answer CQL on " + contactPoint() + " within " + timeout.toSeconds() + " s (" + lastProblem + ")");
  }

  private boolean portOpen() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.cql()), (int) POLL.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void fail(String why) {
    String systemLog = LogTail.lastLines(layout.systemLog(), LOG_LINES_ON_FAILURE);
    String consoleLog = LogTail.lastLines(layout.consoleLog(), LOG_LINES_ON_FAILURE);
    keepDataDir = true;
    close();
    throw new EmbeddedCassandraException(String.format(
        "Embedded Cassandra pid %d %s. Its log: %s%n%s%n%s", pid(), why, layout.systemLog(), systemLog, consoleLog));
  }
}
