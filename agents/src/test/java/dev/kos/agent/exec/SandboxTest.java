package dev.kos.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxTest {
  @TempDir
  Path dir;

  @Test
  void shouldKeepTheLastLinesOfStderr() throws Exception {
    Sandbox sandbox = new Sandbox(dir);
    sandbox.create();
    Files.writeString(sandbox.stderr(), "1\n2\n3\n4\n");

    assertThat(sandbox.stderrTail(2)).isEqualTo("3\n4");
    assertThat(sandbox.stderrTail(10)).isEqualTo("1\n2\n3\n4");
  }

  @Test
  void shouldReadTheRecordedExitCodeOnlyWhenThereIsOne() throws Exception {
    Sandbox sandbox = new Sandbox(dir);
    sandbox.create();

    assertThat(sandbox.recordedExitCode()).isEmpty();
    Files.writeString(sandbox.exitCodeFile(), "42\n");
    assertThat(sandbox.recordedExitCode()).hasValue(42);
  }
}
