package dev.kos.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchCommandTest {

  @TempDir
  Path repo;

  private static BenchCommand.Forked parse(String... args) {
    CommandLine cli = new CommandLine(new BenchCommand());
    CommandLine.ParseResult result = cli.parseArgs(args);
    return (BenchCommand.Forked) result.subcommand().commandSpec().userObject();
  }

  @Test
  void shouldPassTheBenchmarksOwnArgumentsThroughInOrder() {
    BenchCommand.Forked placement = parse("placement", "--agents", "10000", "--tasks", "1000000", "--frameworks",
        "100");

    assertThat(placement.mainClass()).isEqualTo("dev.kos.bench.placement.PlacementBench");
    assertThat(placement.args).containsExactly("--agents", "10000", "--tasks", "1000000", "--frameworks", "100");
  }

  @Test
  void shouldKeepItsOwnOptionsAndForwardHelpToTheBenchmark() {
    BenchCommand.Forked scale = parse("apps-scale", "--java-opts", "-Xmx1g -XX:+UseParallelGC", "--help");

    assertThat(scale.args).containsExactly("--help");
    assertThat(scale.bench.javaOptions(scale.defaultJavaOptions())).containsExactly("-Xmx1g", "-XX:+UseParallelGC");
  }

  @Test
  void shouldRunTheApiBenchmarkWithItsOwnOptions() {
    BenchCommand.Forked api = parse("api", "--runs", "1");

    assertThat(api.mainClass()).isEqualTo("dev.kos.bench.api.ApiBench");
    assertThat(api.args).containsExactly("--runs", "1");
    assertThat(api.bench.javaOptions(api.defaultJavaOptions())).containsExactly("-Xmx2g");
  }

  @Test
  void shouldRunJmhWithThreeForksWhenGivenNoArguments() {
    BenchCommand.Forked allocator = parse("allocator");

    assertThat(allocator.args).isEmpty();
    assertThat(allocator.defaultArgs()).containsExactly("-f", "3");
    assertThat(allocator.bench.javaOptions(allocator.defaultJavaOptions())).isEmpty();
  }

  @Test
  void shouldFindTheBenchModuleAboveTheKosJar() throws Exception {
    Files.createDirectories(repo.resolve("bench"));
    Files.writeString(repo.resolve("bench/pom.xml"), "<project/>");
    Path jar = Files.createDirectories(repo.resolve("cli/target")).resolve("kos-cli.jar");

    assertThat(BenchLauncher.findBenchDir(jar)).contains(repo.resolve("bench"));
    assertThat(BenchLauncher.findBenchDir(Path.of("/"))).isEmpty();
  }

  @Test
  void shouldForkJavaOnTheBenchClasspathWritingResultsIntoTheBenchDirectory() {
    Path bench = repo.resolve("bench");

    List<String> command = BenchLauncher.commandLine(Path.of("/jdk/bin/java"), List.of("-Xmx4g"), bench,
        "dev.kos.bench.placement.PlacementBench", List.of("--tasks", "5"));

    assertThat(command).containsExactly("/jdk/bin/java", "-Dkos.bench.results=" + bench.resolve("results"), "-Xmx4g",
        "-cp", bench.resolve("target/classes") + File.pathSeparator + bench.resolve("target/lib") + File.separator + "*",
        "dev.kos.bench.placement.PlacementBench", "--tasks", "5");
  }
}
