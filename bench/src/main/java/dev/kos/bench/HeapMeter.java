package dev.kos.bench;

/** Heap in use after collecting garbage: the footprint benchmarks' one measuring stick. */
public final class HeapMeter {

  private HeapMeter() {
  }

  /**
   * The smallest used heap over a few forced collections; {@code System.gc()} promises
   * nothing, so one call can leave garbage behind.
   */
  public static long usedHeapAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
