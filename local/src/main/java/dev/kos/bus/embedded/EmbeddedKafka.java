package dev.kos.bus.embedded;

import dev.kos.local.forked.ChildStop;
import dev.kos.local.forked.ForkedJvm;
import dev.kos.local.forked.LogTail;
import dev.kos.local.forked.StopHook;
import dev.kos.local.forked.TemporaryDirs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, broker and controller in one node) in a child JVM, started from the
 * {@code kafka_2.13} jars on this JVM's classpath. Used by integration tests and by {@code kos up}.
 *
 * <p>{@link #start} formats or reuses the data directory, starts the broker and returns once it
 * answers clients. {@link #close} stops it (SIGTERM, then kill after 20 s); a shutdown hook does
 * the same if the JVM exits first, and {@link BrokerMain} stops it if this JVM is killed outright.
 */
public final class EmbeddedKafka implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final int LOG_LINES_ON_FAILURE = 40;

  private final BrokerLayout layout;
  private final boolean temporaryDir;
  private final BrokerRecord record;
  private final Process process;
  private final StopHook stopHook;

  private EmbeddedKafka(BrokerLayout layout, boolean temporaryDir, BrokerRecord record, Process process) {
    this.layout = layout;
    this.temporaryDir = temporaryDir;
    this.record = record;
    this.process = process;
    this.stopHook = StopHook.register("embedded-kafka-shutdown-" + process.pid(), this::stop);
  }

  /** Starts a broker and waits until it answers; throws {@link EmbeddedKafkaException} if not. */
  public static EmbeddedKafka start(EmbeddedKafkaSettings settings) {
    boolean temporaryDir = settings.dataDir().isEmpty();
    BrokerLayout layout = new BrokerLayout(settings.dataDir().orElseGet(() -> TemporaryDirs.create("kos-kafka-")));
    try {
      BrokerRecord record = DataDirPreparation.prepare(layout, settings);
      List<String> jvmOptions = brokerJvmOptions(layout, settings);
      Process process = ForkedJvm.onThisClasspath(jvmOptions, BrokerMain.class.getName(),
          List.of(layout.serverProperties().toString())).start(layout.consoleLog());
      EmbeddedKafka kafka = new EmbeddedKafka(layout, temporaryDir, record, process);
      kafka.writePidFile();
      kafka.awaitReady(settings.clientConfig(), settings.startTimeout());
      return kafka;
    } catch (IOException e) {
      TemporaryDirs.deleteIfTemporary(layout.root(), temporaryDir);
      throw new EmbeddedKafkaException("Cannot start the embedded broker in " + layout.root() + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      TemporaryDirs.deleteIfTemporary(layout.root(), temporaryDir);
      throw e;
    }
  }

  public String bootstrapServers() {
    return HOST + ":" + record.ports().broker();
  }

  public BrokerPorts ports() {
    return record.ports();
  }

  public String clusterId() {
    return record.clusterId();
  }

  public Path dataDir() {
    return layout.root();
  }

  /** INFO log of the broker; the place to look when something on the bus misbehaves. */
  public Path brokerLog() {
    return layout.brokerLog();
  }

  /** The broker JVM's process id. */
  public long pid() {
    return process.pid();
  }

  /**
   * Leaves stopping this broker at JVM exit to the caller. By default a shutdown hook of its own stops it, so a
   * JVM that exits without closing it leaves no process behind; but the JVM runs shutdown hooks all at once, so
   * an owner that stops a whole stack in order from its own hook (the broker last, after everything that uses it)
   * must take this one away, or the broker goes first and the rest wait out their timeouts against it.
   */
  public void stopOnlyWhenClosed() {
    stopHook.unregister();
  }

  /** Stops the broker; safe to call more than once. */
  @Override
  public void close() {
    stopHook.close();
  }

  private void stop() {
    log.info("Stopping embedded Kafka broker pid {} on {}", pid(), bootstrapServers());
    if (ChildStop.terminate(process, STOP_GRACE)) {
      log.warn("Broker pid {} did not stop within {} s of SIGTERM; killed it", pid(), STOP_GRACE.toSeconds());
    }
    try {
      Files.deleteIfExists(layout.pidFile());
    } catch (IOException e) {
      log.warn("Could not remove {}; the next start will find the pid dead and reuse the directory", layout.pidFile(), e);
    }
    TemporaryDirs.deleteIfTemporary(layout.root(), temporaryDir);
  }

  /** Lets the next launcher on this directory tell a live broker from one that crashed. */
  private void writePidFile() {
    try {
      AtomicFiles.write(layout.pidFile(), Long.toString(pid()));
    } catch (IOException e) {
      close();
      throw new EmbeddedKafkaException("Cannot write " + layout.pidFile() + ": " + e.getMessage(), e);
    }
  }

  private void awaitReady(Map<String, String> clientConfig, Duration timeout) {
    long startedNanos = System.nanoTime();
    BrokerReadiness.Outcome outcome;
    try {
      outcome = BrokerReadiness.await(
          new InetSocketAddress(HOST, record.ports().broker()), clientConfig, timeout, process::isAlive,
          Clock.systemUTC());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new EmbeddedKafkaException("Interrupted while waiting for the embedded broker to start", e);
    }
    if (outcome == BrokerReadiness.Outcome.READY) {
      log.info("Embedded Kafka broker pid {} answers on {} after {} ms (data in {})",
          pid(), bootstrapServers(), Duration.ofNanos(System.nanoTime() - startedNanos).toMillis(), layout.root());
      return;
    }
    String why = outcome == BrokerReadiness.Outcome.PROCESS_EXITED
        ? "exited with code " + process.exitValue()
        : "did not answer on " + bootstrapServers() + " within " + timeout.toMillis() + " ms";
    String brokerLog = LogTail.lastLines(layout.brokerLog(), LOG_LINES_ON_FAILURE);
    String consoleLog = LogTail.lastLines(layout.consoleLog(), LOG_LINES_ON_FAILURE);
    close();
    throw new EmbeddedKafkaException(
        String.format("Embedded Kafka broker pid %d %s.%n%s%n%s", process.pid(), why, brokerLog, consoleLog));
  }

  private static List<String> brokerJvmOptions(BrokerLayout layout, EmbeddedKafkaSettings settings) {
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + settings.maxHeap());
    options.add(BrokerLogbackConfig.jvmOption(layout.logbackConfig()));
    options.addAll(settings.extraJvmOptions());
    return options;
  }
}
