package dev.kos.allocator.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kos.allocator.stream.AllocatorDriver.Keyed;
import dev.kos.bus.catalog.Topics;
import dev.kos.schema.CommandResult;
import dev.kos.schema.CommandStatus;
import dev.kos.schema.ConfigureRole;
import dev.kos.schema.FrameworkInfo;
import dev.kos.schema.RegisterFramework;
import dev.kos.schema.RoleInfo;
import dev.kos.schema.SetQuota;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quota, role and registration commands through the allocator topology: the record written and the answer. */
class ConfigCommandTopologyTest {

  @TempDir
  Path stateDir;

  private AllocatorDriver allocator;

  @BeforeEach
  void start() {
    allocator = new AllocatorDriver(stateDir);
  }

  @AfterEach
  void stop() {
    allocator.close();
  }

  @Test
  void shouldWriteEachAcceptedChangeOnTopOfTheLastAndAnswerEveryCommandOnce() {
    allocator.command("c1", new ConfigureRole("batch", 0.5, -1, null));
    allocator.command("c2", new SetQuota("batch", null, AllocatorDriver.resources(4, 4096)));
    allocator.command("c3", new ConfigureRole("batch", 0.0, null, null));

    List<Keyed<RoleInfo>> roles = allocator.read(Topics.ROLES);
    assertThat(roles).as("the rejected weight wrote nothing").hasSize(2);
    assertThat(roles.get(1)).isEqualTo(new Keyed<>("batch", RoleInfo.newBuilder().setRole("batch").setWeight(0.5)
        .setPriority(-1).setLimit(AllocatorDriver.resources(4, 4096)).build()));
    List<Keyed<CommandResult>> results = allocator.read(Topics.COMMAND_RESULTS);
    assertThat(results).extracting(Keyed::key).containsExactly("c1", "c2", "c3");
    assertThat(results).extracting(r -> r.value().getStatus())
        .containsExactly(CommandStatus.ACCEPTED, CommandStatus.ACCEPTED, CommandStatus.REJECTED);
    assertThat(results.get(2).value().getReason())
        .isEqualTo("role batch: weight must be a finite number > 0, was 0.0; nothing changed");
    assertThat(results).allSatisfy(r -> assertThat(r.value().getHandledBy()).isEqualTo("allocator"));
  }

  @Test
  void shouldRegisterAFrameworkOnceAndRejectAnotherOfTheSameName() {
    allocator.framework("spark-1", "batch");
    allocator.command("c1", new RegisterFramework("flink-1", "flink", "batch", 1.0, 60L));
    allocator.command("c2", new RegisterFramework("flink-2", "flink", "batch", 1.0, 60L));

    List<Keyed<FrameworkInfo>> frameworks = allocator.read(Topics.FRAMEWORKS);
    assertThat(frameworks).singleElement().satisfies(f -> {
      assertThat(f.key()).isEqualTo("flink-1");
      assertThat(f.value().getSuppressed()).as("no offers before its process registers").isTrue();
      assertThat(f.value().getPrincipal()).isEqualTo("ops");
    });
    List<Keyed<CommandResult>> results = allocator.read(Topics.COMMAND_RESULTS);
    assertThat(results).extracting(r -> r.value().getStatus())
        .containsExactly(CommandStatus.ACCEPTED, CommandStatus.REJECTED);
    assertThat(results.get(1).value().getReason()).isEqualTo("the name flink is taken by framework flink-1; pick"
        + " another name");
  }
}
