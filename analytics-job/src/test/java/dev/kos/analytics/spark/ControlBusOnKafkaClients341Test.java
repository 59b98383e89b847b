package dev.kos.analytics.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark driver runs the framework SDK (control-bus, built against the parent's kafka-clients) on this module's
 * kafka-clients 3.4.1 (decision 0019). A control-bus change that calls a newer client API would only fail in a
 * running driver; this test compiles control-bus's main sources against this module's classpath so it fails here.
 */
class ControlBusOnKafkaClients341Test {

  @TempDir
  Path out;

  @Test
  void controlBusCompilesAgainstTheDriversKafkaClients() throws IOException {
    assertThat(AppInfoParser.getVersion()).isEqualTo("3.4.1");
    Path sources = Path.of("").toAbsolutePath().resolveSibling("control-bus").resolve("src/main/java");
    assertThat(sources).as("control-bus's sources beside this module").isDirectory();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(file -> file.toString().endsWith(".java")).toList();
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StringWriter errors = new StringWriter();
    try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null, null)) {
      boolean compiled = compiler.getTask(errors, fileManager, null,
          List.of("-proc:none", "-nowarn", "-d", out.toString(), "-cp", System.getProperty("java.class.path")), null,
          fileManager.getJavaFileObjectsFromPaths(files)).call();
      assertThat(compiled).as("control-bus on kafka-clients 3.4.1:%n%s", errors).isTrue();
    }
  }
}
