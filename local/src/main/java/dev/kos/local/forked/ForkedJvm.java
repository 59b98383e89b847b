package dev.kos.local.forked;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java command run in a child process with this JVM's own {@code java}. Output goes to a file, never to our
 * console. The broker runs from this JVM's classpath (which carries {@code kafka_2.13}); Cassandra from a
 * classpath of its own, kept off every kos classpath.
 */
public record ForkedJvm(List<String> jvmOptions, String classpath, String mainClass, List<String> arguments) {

  public ForkedJvm {
    jvmOptions = List.copyOf(jvmOptions);
    arguments = List.copyOf(arguments);
  }

  /** A child that runs from this JVM's own classpath. */
  public static ForkedJvm onThisClasspath(List<String> jvmOptions, String mainClass, List<String> arguments) {
    return new ForkedJvm(jvmOptions, System.getProperty("java.class.path"), mainClass, arguments);
  }

  public List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(arguments);
    return command;
  }

  /**
   * Starts the process with stdout and stderr appended to {@code consoleLog}. Its stdin stays a pipe held by this
   * JVM: a child that watches it learns from its end of file that we are gone.
   */
  public Process start(Path consoleLog) throws IOException {
    Files.createDirectories(consoleLog.getParent());
    return new ProcessBuilder(command())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()))
        .start();
  }
}
