package dev.kos.systemtests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * This module's {@code @TempDir}s (junit-platform.properties): mode 0711 rather than the JDK's 0700, so that the
 * agents the tests start in them run their tasks as {@code nobody} (the default {@code --task-user auto} on a root
 * agent), as an operator's work dir such as /var/lib/kos lets them: an agent whose work dir its task user cannot
 * reach does not start. Others may pass through, not list.
 */
public final class TraversableTempDirs implements TempDirFactory {
  @Override
  public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
    Path dir = Files.createTempDirectory("junit");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    return dir;
  }
}
