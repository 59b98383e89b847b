package dev.kos.bench.placement;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * CPU time spent over a measurement window, split by who spent it. In this JVM, by thread: every
 * {@value #SAMPLE_MILLIS} ms the CPU time of every live thread is read (ThreadMXBean) and the
 * latest reading kept, so each thread's share is its last reading minus its reading at the start
 * (zero for a thread born later) and a thread that dies loses at most its last interval. Threads go
 * to the first group whose name test they pass; the process's CPU time (OperatingSystemMXBean) minus
 * the threads' sum is the JVM's own work (garbage collection, JIT) and unnamed threads. The broker
 * is another process: its user + system time comes from {@code /proc/<pid>/stat}.
 */
final class CpuMeter implements AutoCloseable {
  static final long SAMPLE_MILLIS = 500;
  static final String JVM_AND_OTHER = "this JVM: GC, JIT, other threads";
  static final String BROKER = "broker (forked JVM)";

  /** A named group of threads. */
  record Group(String name, Predicate<String> threadName) {
  }

  private record Reading(String name, long nanos) {
  }

  private final List<Group> groups;
  private final OptionalLong brokerPid;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "bench-cpu-meter");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<Long, Reading> start = new HashMap<>();
  private final Map<Long, Reading> latest = new HashMap<>();
  private long processStart;
  private OptionalLong brokerStart = OptionalLong.empty();

  CpuMeter(List<Group> groups, OptionalLong brokerPid) {
    this.groups = List.copyOf(groups);
    this.brokerPid = brokerPid;
  }

  /** Takes the starting readings and keeps sampling until {@link #stop()}. */
  synchronized void start() {
    sample();
    start.putAll(latest);
    processStart = os.getProcessCpuTime();
    brokerStart = brokerNanos();
    sampler.scheduleAtFixedRate(this::sampleLocked, SAMPLE_MILLIS, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Seconds of CPU per group since {@link #start()}, the broker and this JVM's remainder included. */
  synchronized Map<String, Double> stop() {
    sampler.shutdownNow();
    sample();
    long process = os.getProcessCpuTime() - processStart;
    Map<String, Double> seconds = new LinkedHashMap<>();
    groups.forEach(group -> seconds.put(group.name(), 0.0));
    long attributed = 0;
    for (Map.Entry<Long, Reading> entry : latest.entrySet()) {
      Reading before = start.get(entry.getKey());
      long nanos = entry.getValue().nanos() - (before == null ? 0 : before.nanos());
      String name = entry.getValue().name();
      for (Group group : groups) {
        if (group.threadName().test(name)) {
          seconds.merge(group.name(), nanos / 1e9, Double::sum);
          attributed += nanos;
          break;
        }
      }
    }
    seconds.put(JVM_AND_OTHER, Math.max(0, process - attributed) / 1e9);
    OptionalLong brokerEnd = brokerNanos();
    if (brokerStart.isPresent() && brokerEnd.isPresent()) {
      seconds.put(BROKER, (brokerEnd.getAsLong() - brokerStart.getAsLong()) / 1e9);
    }
    return seconds;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }

  private synchronized void sampleLocked() {
    sample();
  }

  private void sample() {
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long nanos = threads.getThreadCpuTime(info.getThreadId());
      if (nanos >= 0) {
        latest.put(info.getThreadId(), new Reading(info.getThreadName(), nanos));
      }
    }
  }

  /**
   * utime + stime of the broker process (fields 14 and 15 of /proc/pid/stat, in clock ticks of 1/100 s,
   * Linux's USER_HZ); empty without an embedded broker or off Linux.
   */
  private OptionalLong brokerNanos() {
    if (brokerPid.isEmpty()) {
      return OptionalLong.empty();
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(brokerPid.getAsLong()), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return OptionalLong.of(ticks * 10_000_000L);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
