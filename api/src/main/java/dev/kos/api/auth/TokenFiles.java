package dev.kos.api.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** The token file on disk: read whole, and appended to with owner-only permissions (it says who may do what). */
public final class TokenFiles {

  private TokenFiles() {
  }

  /**
   * @throws IllegalArgumentException if the file is missing or has a bad line (the message names it)
   */
  public static TokenFile read(Path file) {
    try {
      return TokenFile.parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no token file " + file + "; `kos api token --principal NAME --grant "
          + "ROLE:VERB --add` makes a token and writes its line there");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends a line, creating the file (readable by its owner only) when missing. */
  public static void append(Path file, String line) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      if (!Files.exists(file)) {
        Files.createFile(file);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
      }
      Files.write(file, List.of(line), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
