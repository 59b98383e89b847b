package dev.kos.model;

import java.util.List;
import java.util.Objects;

/** What a framework does with the offers it accepts (the operations of an accept, as in Mesos). */
public sealed interface Operation {

  /** Launches tasks on the offered resources. */
  record Launch(List<TaskSpec> tasks) implements Operation {
    public Launch {
      tasks = List.copyOf(tasks);
    }
  }

  /** Reserves offered unreserved resources for {@code role}. */
  record Reserve(String role, Resources resources) implements Operation {
    public Reserve {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(resources, "resources");
    }
  }

  /** Gives reserved resources of {@code role} back to everyone. */
  record Unreserve(String role, Resources resources) implements Operation {
    public Unreserve {
      Objects.requireNonNull(role, "role");
      Objects.requireNonNull(resources, "resources");
    }
  }

  /** Creates a persistent volume on disk reserved for the volume's role. */
  record CreateVolume(Volume volume) implements Operation {
    public CreateVolume {
      Objects.requireNonNull(volume, "volume");
    }
  }

  /** Destroys a persistent volume; its disk stays reserved for the role. */
  record DestroyVolume(String persistenceId, String role) implements Operation {
    public DestroyVolume {
      Objects.requireNonNull(persistenceId, "persistenceId");
      Objects.requireNonNull(role, "role");
    }
  }
}
