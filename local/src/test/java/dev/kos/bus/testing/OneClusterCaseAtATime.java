package dev.kos.bus.testing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets one case that runs a multi-broker Kafka cluster (a kos Kafka cluster of three or four broker JVMs, a
 * three-broker bus) run at a time on this machine, whichever module and fork it is in. The suite runs two modules at
 * a time and the chaos suite two forks, all on 2 cores: when two such cases met, each with its brokers, producers and
 * kos processes, the machine was so far overcommitted that both ran past their timeouts (CI of 2026-12-07: a broker
 * added in 188 s that takes 24 s alone, a three-broker bus case past 420 s). The other forks go on with lighter cases
 * meanwhile. The wait is in a callback, outside the case's own {@code @Timeout}.
 *
 * <p>The lock is an OS file lock: a fork killed while holding it releases it with its process.
 */
public final class OneClusterCaseAtATime implements BeforeEachCallback, AfterEachCallback {

  private static final Logger LOG = LoggerFactory.getLogger(OneClusterCaseAtATime.class);
  private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "kos-cluster-case.lock");
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
      OneClusterCaseAtATime.class);

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long start = System.nanoTime();
    FileLock lock = channel.lock();
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    if (waitedMs > 1_000) {
      LOG.info("{} waited {} s for another multi-broker case on this machine to end", context.getDisplayName(),
          waitedMs / 1_000);
    }
    context.getStore(NAMESPACE).put(FileLock.class, lock);
  }

  @Override
  public void afterEach(ExtensionContext context) throws IOException {
    FileLock lock = context.getStore(NAMESPACE).remove(FileLock.class, FileLock.class);
    if (lock != null) {
      lock.release();
      lock.channel().close();
    }
  }
}
