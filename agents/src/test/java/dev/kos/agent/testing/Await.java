package dev.kos.agent.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls until something holds or a deadline passes; the deadline is generous, the poll is short. */
public final class Await {
  private static final long POLL_MS = 20;

  private Await() {
  }

  public static <T> T until(Supplier<Optional<T>> probe, Duration deadline, Supplier<String> failure) {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      Optional<T> value = probe.get();
      if (value.isPresent()) {
        return value.get();
      }
      pause();
    }
    throw new AssertionError(failure.get());
  }

  public static void until(BooleanSupplier condition, Duration deadline, String failure) {
    until(() -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty(), deadline, () -> failure);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
