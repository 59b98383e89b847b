package dev.kos.agent.volumes;

import dev.kos.agent.checkpoint.Json;
import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import dev.kos.bus.files.Directories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistent volumes under the agent's volume root: {@code <root>/<persistenceId>/volume.json}
 * binds the directory to its role, {@code <root>/<persistenceId>/data} is what tasks see. The
 * directories outlive tasks and agent restarts; which task uses a volume is kept in memory and
 * rebuilt from task checkpoints on recovery.
 */
public final class VolumeStore {
  private static final Logger log = LoggerFactory.getLogger(VolumeStore.class);
  private static final String METADATA = "volume.json";
  private static final String DATA = "data";

  private final Path root;
  private final Clock clock;
  private final Map<String, String> userByPersistenceId = new HashMap<>();

  /** What {@code volume.json} holds. */
  public record VolumeMetadata(String persistenceId, String role, double sizeMb, Instant createdAt) {
  }

  public VolumeStore(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  public synchronized VolumeResult create(VolumeSpec volume) {
    String id = volume.persistenceId();
    try {
      Optional<VolumeMetadata> existing = metadata(id);
      if (existing.isPresent()) {
        String owner = existing.get().role();
        return owner.equals(volume.role())
            ? VolumeResult.ok(id, volume.role(), "volume " + id + " already exists")
            : VolumeResult.refused(id, volume.role(), ownedByAnotherRole(id, owner, volume.role()));
      }
      Files.createDirectories(dataDir(id));
      Json.write(root.resolve(id).resolve(METADATA),
          new VolumeMetadata(id, volume.role(), volume.sizeMb(), clock.instant()));
      log.info("created volume {} for role {}", id, volume.role());
      return VolumeResult.ok(id, volume.role(), "created volume " + id);
    } catch (IOException e) {
      return VolumeResult.refused(id, volume.role(), "cannot create volume " + id + ": " + e.getMessage());
    }
  }

  public synchronized VolumeResult destroy(String persistenceId, String role) {
    try {
      Optional<VolumeMetadata> existing = metadata(persistenceId);
      if (existing.isEmpty()) {
        return VolumeResult.ok(persistenceId, role, "volume " + persistenceId + " does not exist");
      }
      if (!existing.get().role().equals(role)) {
        return VolumeResult.refused(persistenceId, role,
            ownedByAnotherRole(persistenceId, existing.get().role(), role));
      }
      String user = userByPersistenceId.get(persistenceId);
      if (user != null) {
        return VolumeResult.refused(persistenceId, role, "volume " + persistenceId
            + " is in use by task " + user + "; kill the task before destroying the volume");
      }
      Directories.deleteTree(root.resolve(persistenceId));
      log.info("destroyed volume {} of role {}", persistenceId, role);
      return VolumeResult.ok(persistenceId, role, "destroyed volume " + persistenceId);
    } catch (IOException e) {
      return VolumeResult.refused(persistenceId, role,
          "cannot destroy volume " + persistenceId + ": " + e.getMessage());
    }
  }

  /** Claims all of a task's volumes, or none; returns each volume's data directory. */
  public synchronized Map<VolumeSpec, Path> claim(String taskId, List<VolumeSpec> volumes) throws VolumeRefused {
    Map<VolumeSpec, Path> claimed = new LinkedHashMap<>();
    for (VolumeSpec volume : volumes) {
      claimed.put(volume, checkClaimable(taskId, volume));
    }
    claimed.keySet().forEach(volume -> userByPersistenceId.put(volume.persistenceId(), taskId));
    return claimed;
  }

  public synchronized void release(String taskId) {
    userByPersistenceId.values().removeIf(taskId::equals);
  }

  private Path checkClaimable(String taskId, VolumeSpec volume) throws VolumeRefused {
    String id = volume.persistenceId();
    Optional<VolumeMetadata> existing;
    try {
      existing = metadata(id);
    } catch (IOException e) {
      throw new VolumeRefused("cannot read volume " + id + ": " + e.getMessage());
    }
    if (existing.isEmpty()) {
      throw new VolumeRefused("volume " + id + " does not exist on this agent; create it first");
    }
    if (!existing.get().role().equals(volume.role())) {
      throw new VolumeRefused(ownedByAnotherRole(id, existing.get().role(), volume.role()));
    }
    String user = userByPersistenceId.get(id);
    if (user != null && !user.equals(taskId)) {
      throw new VolumeRefused("volume " + id + " is in use by task " + user);
    }
    return dataDir(id);
  }

  private Optional<VolumeMetadata> metadata(String persistenceId) throws IOException {
    Path file = root.resolve(persistenceId).resolve(METADATA);
    return Files.exists(file) ? Optional.of(Json.read(file, VolumeMetadata.class)) : Optional.empty();
  }

  private Path dataDir(String persistenceId) {
    return root.resolve(persistenceId).resolve(DATA).toAbsolutePath();
  }

  private static String ownedByAnotherRole(String id, String owner, String asked) {
    return "volume " + id + " belongs to role " + owner + ", not " + asked;
  }
}
