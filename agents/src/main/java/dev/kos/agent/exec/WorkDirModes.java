package dev.kos.agent.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may read what in an agent's work dir. Tasks run as other users than the agent (its default task user, or the
 * user a task names), so the agent's own files are owner-only and the directories on the way to a sandbox or a volume
 * can be passed through, not listed:
 * <ul>
 *   <li>the work dir, {@code sandboxes/} and {@code volumes/}: {@value #TRAVERSE} (a task reaches its sandbox by the
 *       path {@code KOS_SANDBOX} names and its volumes through their links; it cannot list the others);</li>
 *   <li>each sandbox: {@value #SANDBOX}, owned by its task's user;</li>
 *   <li>{@code checkpoints/} and {@code artifacts/} (the fetcher's cache, which may hold what one task fetched
 *       with a secret in it): {@value #OWNER_ONLY_DIR}, and every checkpoint {@value #OWNER_ONLY_FILE}.</li>
 * </ul>
 * The agent's client config (its bus credentials) is the operator's file: {@code kos agent} warns when others
 * may read it.
 */
public final class WorkDirModes {
  public static final String TRAVERSE = "rwx--x--x";
  public static final String SANDBOX = "rwx------";
  public static final String OWNER_ONLY_DIR = "rwx------";
  public static final String OWNER_ONLY_FILE = "rw-------";

  private WorkDirModes() {
  }

  /** The directories of a work dir, relative to it ("" for itself), and the mode each gets when the agent starts. */
  public static Map<String, String> directories() {
    Map<String, String> modes = new LinkedHashMap<>();
    modes.put("", TRAVERSE);
    modes.put("sandboxes", TRAVERSE);
    modes.put("volumes", TRAVERSE);
    modes.put("checkpoints", OWNER_ONLY_DIR);
    modes.put("artifacts", OWNER_ONLY_DIR);
    return modes;
  }

  /**
   * The first directory above the work dir that other users may not pass through ("/root is mode rwx------"), if
   * any: tasks run as another user could not reach their sandboxes.
   */
  public static Optional<String> closedAncestor(Path workDir) {
    for (Path dir = workDir.toAbsolutePath().normalize().getParent(); dir != null; dir = dir.getParent()) {
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return Optional.of(dir + " is mode " + PosixFilePermissions.toString(permissions));
        }
      } catch (IOException | UnsupportedOperationException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Creates the work dir's directories (where missing) and gives each its mode. */
  public static void apply(Path workDir) throws IOException {
    for (Map.Entry<String, String> dir : directories().entrySet()) {
      Path path = dir.getKey().isEmpty() ? workDir : workDir.resolve(dir.getKey());
      Files.createDirectories(path);
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(dir.getValue()));
    }
  }
}
