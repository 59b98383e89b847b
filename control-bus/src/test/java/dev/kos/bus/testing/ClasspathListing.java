package dev.kos.bus.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A classpath that a runtime module listed with maven-dependency-plugin's {@code build-classpath} and
 * {@code localRepoProperty M2_REPO}, resolved against this machine's local repository: how tests start a broker
 * on a classpath other than their own.
 */
public final class ClasspathListing {

  private ClasspathListing() {
  }

  /** @param resource the listing on the test classpath; {@code module} names the module that writes it */
  public static String read(String resource, String module) {
    try (InputStream in = ClasspathListing.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing: build " + module + " first");
      }
      String repo = System.getProperty("maven.repo.local",
          Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().replace("M2_REPO", repo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
