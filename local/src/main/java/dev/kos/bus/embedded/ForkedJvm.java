package dev.kos.bus.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java command run in a child process with this JVM's own {@code java} and classpath, which
 * carries {@code kafka_2.13} and its dependencies. Output goes to a file, never to our console.
 */
record ForkedJvm(List<String> jvmOptions, String mainClass, List<String> arguments) {

  ForkedJvm {
    jvmOptions = List.copyOf(jvmOptions);
    arguments = List.copyOf(arguments);
  }

  List<String> command() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(arguments);
    return command;
  }

  /** Starts the process with stdout and stderr appended to {@code consoleLog}. */
  Process start(Path consoleLog) throws IOException {
    Files.createDirectories(consoleLog.getParent());
    return new ProcessBuilder(command())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(consoleLog.toFile()))
        .start();
  }
}
