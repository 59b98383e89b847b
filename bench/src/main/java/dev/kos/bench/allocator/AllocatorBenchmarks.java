package dev.kos.bench.allocator;

import dev.kos.bench.results.BenchResult;
import dev.kos.bench.results.Figure;
import dev.kos.bench.results.Machine;
import dev.kos.bench.results.ResultsWriter;
import dev.kos.bench.results.Versions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the allocator benchmarks, prints placements per second for the throughput run, writes every
 * JMH score to {@code bench/results/allocator-<time>.{md,json}}, then prints the heap footprint. JMH
 * command-line options pass through (for example {@code -f 1 -wi 1 -i 3 -p agents=1000}).
 */
public final class AllocatorBenchmarks {

  private AllocatorBenchmarks() {
  }

  public static void main(String[] args) throws RunnerException, CommandLineOptionException, IOException {
    CommandLineOptions arguments = new CommandLineOptions(args);
    if (arguments.shouldHelp() || arguments.shouldList()) {
      // JMH's Main answers these; without this a `kos bench allocator -h` ran every benchmark.
      if (arguments.shouldHelp()) {
        arguments.showHelp();
      } else {
        new Runner(new OptionsBuilder().parent(arguments)
            .include(AllocatorBenchmarks.class.getPackageName() + ".*Benchmark").build()).list();
      }
      return;
    }
    Instant started = Instant.now();
    Machine machine = Machine.current();
    Options options = new OptionsBuilder()
        .parent(arguments)
        .include(AllocatorBenchmarks.class.getPackageName() + ".*Benchmark")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    List<Figure> figures = new ArrayList<>();
    for (RunResult result : results) {
      figures.add(figure(result));
      if (result.getParams().getBenchmark().endsWith("placeAllTasks")) {
        double seconds = figures.get(figures.size() - 1).value();
        int tasks = Integer.parseInt(result.getParams().getParam("tasks"));
        System.out.printf("placements/s tasks=%d agents=%s frameworks=%s roles=%s: %.0f (goal >= 200000)%n",
            tasks, result.getParams().getParam("agents"), result.getParams().getParam("frameworks"),
            result.getParams().getParam("roles"), tasks / seconds);
        Figure time = figures.get(figures.size() - 1);
        figures.add(new Figure(String.format(Locale.ROOT, "placements/s (tasks=%d, agents=%s)", tasks,
            result.getParams().getParam("agents")), tasks / seconds, "placements/s", ">= 200,000",
            time.runs().stream().map(run -> tasks / run).toList()));
      }
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("JMH arguments", String.join(" ", args));
    settings.put("fixtures", "10 roles weighted 1..10, agents of 32 cpus / 128 GiB, task sizes drawn with seed 42");
    List<Path> files = ResultsWriter.fromSystemProperty().write(new BenchResult("allocator", started, machine,
        Versions.current(), settings, figures, List.of("Each JMH fork (a JVM of its own) is a run: a figure is the "
            + "median of the forks' scores, each listed; JMH's 99.9 % confidence half-width over all iterations is "
            + "in the figure's name.")));
    System.out.println("wrote " + files.get(0) + " and " + files.get(1));
    AllocatorHeapFootprint.main(new String[0]);
  }

  /**
   * A JMH score with the benchmark's short name and its parameters: each fork is a run (its own JVM), the figure
   * is the median of the forks' scores, and JMH's error over all iterations is in the name when it could tell.
   */
  private static Figure figure(RunResult result) {
    String benchmark = result.getParams().getBenchmark();
    String params = result.getParams().getParamsKeys().stream()
        .map(key -> key + "=" + result.getParams().getParam(key)).collect(Collectors.joining(", "));
    double error = result.getPrimaryResult().getScoreError();
    List<Double> forks = result.getBenchmarkResults().stream().map(fork -> fork.getPrimaryResult().getScore())
        .toList();
    String name = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1)
        + " (" + params + ")" + (Double.isFinite(error) ? String.format(Locale.ROOT, " ± %.3g", error) : "");
    return new Figure(name, median(forks), result.getPrimaryResult().getScoreUnit(), null, forks);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
