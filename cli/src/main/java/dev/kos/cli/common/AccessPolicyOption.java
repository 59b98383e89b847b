package dev.kos.cli.common;

import dev.kos.bus.access.AccessPolicy;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --access-policy FILE} of the components that carry out commands (docs/security.md). */
public final class AccessPolicyOption {

  @Option(names = "--access-policy", paramLabel = "FILE",
      description = "Who may send which commands: lines of PRINCIPAL GRANTS (role:verb, comma-separated), for example "
          + "'alice web:operate' and 'ops @all:admin'; the API's token file is one. A command whose principal lacks the "
          + "permission is rejected, naming it. Without a file every command is allowed")
  Path file;

  public AccessPolicy policy() {
    return AccessPolicy.read(Optional.ofNullable(file));
  }
}
