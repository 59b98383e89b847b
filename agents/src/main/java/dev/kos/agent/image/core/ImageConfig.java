package dev.kos.agent.image.core;

import java.util.List;
import java.util.Optional;

/** What an image says about running it (the OCI image config's {@code config} object). */
public record ImageConfig(List<String> entrypoint, List<String> cmd, List<String> env, Optional<String> workingDir,
    Optional<String> user) {

  public static final ImageConfig EMPTY = new ImageConfig(List.of(), List.of(), List.of(), Optional.empty(),
      Optional.empty());
}
