package dev.kos.bench.allocator;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the allocator benchmarks, prints placements per second for the throughput run, then the heap
 * footprint. JMH command-line options pass through (for example {@code -f 1 -wi 1 -i 3 -p agents=1000}).
 */
public final class AllocatorBenchmarks {

  private AllocatorBenchmarks() {
  }

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Options options = new OptionsBuilder()
        .parent(new CommandLineOptions(args))
        .include(AllocatorBenchmarks.class.getPackageName() + ".*Benchmark")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    for (RunResult result : results) {
      if (result.getParams().getBenchmark().endsWith("placeAllTasks")) {
        double seconds = result.getPrimaryResult().getScore();
        int tasks = Integer.parseInt(result.getParams().getParam("tasks"));
        System.out.printf("placements/s tasks=%d agents=%s frameworks=%s roles=%s: %.0f (goal >= 200000)%n",
            tasks, result.getParams().getParam("agents"), result.getParams().getParam("frameworks"),
            result.getParams().getParam("roles"), tasks / seconds);
      }
    }
    AllocatorHeapFootprint.main(new String[0]);
  }
}
