package dev.kos.agent.volumes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kos.agent.model.VolumeResult;
import dev.kos.agent.model.VolumeSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeStoreTest {
  private static final VolumeSpec PG = new VolumeSpec("pg-data", "db", 100, "data");

  @TempDir
  Path root;

  private VolumeStore store() {
    return new VolumeStore(root, Clock.systemUTC());
  }

  @Test
  void shouldCreateADirectoryBoundToTheRole() throws Exception {
    VolumeResult created = store().create(PG);

    assertThat(created.succeeded()).isTrue();
    assertThat(root.resolve("pg-data/data")).isDirectory();
    assertThat(Files.readString(root.resolve("pg-data/volume.json"))).contains("\"role\" : \"db\"");
  }

  @Test
  void shouldTreatCreatingAgainForTheSameRoleAsDone() {
    store().create(PG);

    assertThat(store().create(PG)).isEqualTo(VolumeResult.ok("pg-data", "db", "volume pg-data already exists"));
  }

  @Test
  void shouldRefuseTheSameIdForAnotherRole() {
    store().create(PG);

    VolumeResult other = store().create(new VolumeSpec("pg-data", "web", 0, "data"));

    assertThat(other.succeeded()).isFalse();
    assertThat(other.message()).isEqualTo("volume pg-data belongs to role db, not web");
  }

  @Test
  void shouldHandTheSameDirectoryToEveryLaterTaskAndOutliveTheStore() throws Exception {
    store().create(PG);
    Path first = store().claim("t1", List.of(PG)).get(PG);
    Files.writeString(first.resolve("file"), "kept");

    Path again = store().claim("t2", List.of(PG)).get(PG);

    assertThat(again).isEqualTo(first);
    assertThat(again.resolve("file")).hasContent("kept");
  }

  @Test
  void shouldRefuseAClaimForAnotherRoleOrAMissingVolume() {
    VolumeStore store = store();
    store.create(PG);

    assertThatThrownBy(() -> store.claim("t1", List.of(new VolumeSpec("pg-data", "web", 0, "data"))))
        .hasMessage("volume pg-data belongs to role db, not web");
    assertThatThrownBy(() -> store.claim("t1", List.of(new VolumeSpec("nope", "db", 0, "data"))))
        .hasMessageContaining("volume nope does not exist on this agent");
  }

  @Test
  void shouldRefuseToDestroyAVolumeInUseUntilReleased() throws Exception {
    VolumeStore store = store();
    store.create(PG);
    store.claim("t1", List.of(PG));

    VolumeResult refused = store.destroy("pg-data", "db");
    store.release("t1");
    VolumeResult destroyed = store.destroy("pg-data", "db");

    assertThat(refused.succeeded()).isFalse();
    assertThat(refused.message()).contains("in use by task t1");
    assertThat(destroyed.succeeded()).isTrue();
    assertThat(root.resolve("pg-data")).doesNotExist();
  }

  @Test
  void shouldRefuseToLetAnotherRoleDestroyAVolume() {
    store().create(PG);

    assertThat(store().destroy("pg-data", "web").succeeded()).isFalse();
    assertThat(root.resolve("pg-data")).exists();
  }

  @Test
  void shouldRefuseASecondTaskWhileTheFirstHoldsTheVolume() throws Exception {
    VolumeStore store = store();
    store.create(PG);
    store.claim("t1", List.of(PG));

    assertThatThrownBy(() -> store.claim("t2", List.of(PG))).hasMessage("volume pg-data is in use by task t1");
    assertThat(store.claim("t1", List.of(PG))).isEqualTo(Map.of(PG, root.resolve("pg-data/data").toAbsolutePath()));
  }
}
