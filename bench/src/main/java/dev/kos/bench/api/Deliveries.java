package dev.kos.bench.api;

import dev.kos.bench.lb.Percentiles;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The SSE probes of one run: when each was handed to the producer and when its event reached the client, both on
 * this JVM's {@link System#nanoTime} clock, by sequence number. Recorded from the sending and the reading thread;
 * summarised once sending is over. The summary is pure.
 */
final class Deliveries {
  private static final long NONE = Long.MIN_VALUE;

  private final AtomicLongArray sent;
  private final AtomicLongArray received;

  Deliveries(int probes) {
    sent = new AtomicLongArray(probes);
    received = new AtomicLongArray(probes);
    for (int i = 0; i < probes; i++) {
      sent.set(i, NONE);
      received.set(i, NONE);
    }
  }

  int size() {
    return sent.length();
  }

  void sent(int seq, long nanos) {
    sent.set(seq, nanos);
  }

  /** A received event; a sequence number out of range or seen before is counted as unexpected by the summary. */
  boolean received(int seq, long nanos) {
    return seq >= 0 && seq < received.length() && received.compareAndSet(seq, NONE, nanos);
  }

  int receivedCount() {
    int count = 0;
    for (int i = 0; i < received.length(); i++) {
      count += received.get(i) == NONE ? 0 : 1;
    }
    return count;
  }

  Summary summary() {
    long[] sentAt = new long[sent.length()];
    long[] receivedAt = new long[received.length()];
    for (int i = 0; i < sentAt.length; i++) {
      sentAt[i] = sent.get(i);
      receivedAt[i] = received.get(i);
    }
    return summarise(sentAt, receivedAt);
  }

  /**
   * What a run's probes show: delays of those both sent and received, in microseconds; how many were sent, how
   * many of those never arrived, and how many arrived without having been sent (which would mean the client
   * counted someone else's events).
   */
  record Summary(long[] delaysMicros, int sent, int missing, int unsent) {

    long percentileMicros(double fraction) {
      return Percentiles.of(delaysMicros, fraction);
    }

    boolean complete() {
      return sent > 0 && missing == 0 && unsent == 0;
    }
  }

  static Summary summarise(long[] sentNanos, long[] receivedNanos) {
    long[] delays = new long[sentNanos.length];
    int count = 0;
    int sentCount = 0;
    int missing = 0;
    int unsent = 0;
    for (int i = 0; i < sentNanos.length; i++) {
      boolean wasSent = sentNanos[i] != NONE;
      boolean wasReceived = receivedNanos[i] != NONE;
      sentCount += wasSent ? 1 : 0;
      if (wasSent && wasReceived) {
        delays[count++] = (receivedNanos[i] - sentNanos[i]) / 1_000;
      } else if (wasSent) {
        missing++;
      } else if (wasReceived) {
        unsent++;
      }
    }
    return new Summary(Arrays.copyOf(delays, count), sentCount, missing, unsent);
  }

  static long none() {
    return NONE;
  }
}
